//! Reader for GeniusWeb JSON domains and profiles.
//!
//! A domain is `{"name", "issuesValues": {issue: {"values": [..]} |
//! {"range": {"low", "high", "step"}}}}` (issue order as written). A profile
//! is one object keyed by its type:
//! * `LinearAdditiveUtilitySpace` — `issueUtilities` (per issue
//!   `{"discreteutils": {"valueUtilities": {value: u}}}` or `{"numberutils":
//!   {"lowValue", "lowUtility", "highValue", "highUtility"}}`, linear between
//!   the two and 0 outside), `issueWeights`, `domain`, `name`,
//!   `reservationBid`;
//! * `SumOfGroupsUtilitySpace` — `partUtilities` (per group `{"partsutils":
//!   {"issues": [..], "utilslist": [{"values": [..], "util": u}]}}`; unlisted
//!   combinations score 0), `domain`, `name`, `reservationBid`;
//! * `DefaultPartialOrdering` — `bids` and `better` (index pairs: `bids[i]`
//!   is better than `bids[j]`): ordinal and partial, read and checked but
//!   not negotiable (it gives no utilities).
//!
//! A reservation bid becomes the reservation value u(reservation bid), as
//! NegMAS reads it; without one the reservation value is 0. Errors name the
//! file and the JSON path (syntax errors: line and column).

use std::fmt;
use std::path::Path;

use negotium_bargain::domain::Issue as BIssue;
use negotium_bargain::ufun::{Group, GroupUtility, UtilityFn};
use negotium_bargain::{GeneralParty, GeneralProblem, Normalisation, Utility, ValueFunction};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// Why a GeniusWeb file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GeniusWebError {
    #[error("cannot read {file}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: JSON syntax: {msg}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        msg: String,
    },
    /// A value that parses as JSON but is not what GeniusWeb expects there:
    /// located by line and column (of the key the path ends in) and path.
    #[error("{file}:{line}:{column}: {path}: {msg}")]
    Format {
        file: String,
        line: usize,
        column: usize,
        path: String,
        msg: String,
    },
    #[error("{dir}: {msg}")]
    Dir { dir: String, msg: String },
    #[error("{file}: {source}")]
    Model {
        file: String,
        #[source]
        source: negotium_bargain::BargainError,
    },
}

/// A JSON object with its keys in file order.
#[derive(Debug, Clone, PartialEq)]
struct Ordered(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Value>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// How an issue's values are given.
#[derive(Debug, Clone, PartialEq)]
pub enum WebValues {
    Discrete(Vec<String>),
    /// `low, low + step, …` up to `high`.
    Range {
        low: f64,
        high: f64,
        step: f64,
    },
}

/// A GeniusWeb domain.
#[derive(Debug, Clone, PartialEq)]
pub struct WebDomain {
    pub name: String,
    pub issues: Vec<(String, WebValues)>,
}

/// A GeniusWeb profile, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum WebProfile {
    /// A party with utilities (linear additive or sum of groups).
    Utility(GeneralParty),
    /// An ordinal partial ordering: `bids` (value indices) and `better` pairs.
    PartialOrdering {
        name: String,
        bids: Vec<Vec<usize>>,
        better: Vec<(usize, usize)>,
    },
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

/// The 1-based line and column (in characters) of the place a JSON path
/// (`$.a.b[2].c`) names in `text`: each key is looked up as `"key":` after
/// the previous key's position (array indexes are not counted: the key
/// after one is searched from the array's key, so it may land on an
/// earlier element). Falls back to the last key found, or 1:1.
fn locate(text: &str, path: &str) -> (usize, usize) {
    let mut pos = 0usize;
    let keys = path
        .trim_start_matches('$')
        .split(['.', '['])
        .filter(|k| !k.is_empty() && !k.ends_with(']'))
        .map(|k| k.trim_matches('`').trim_matches('"'));
    for k in keys {
        let pat = format!("\"{k}\"");
        let mut from = pos;
        let found = loop {
            let Some(i) = text[from..].find(&pat) else {
                break None;
            };
            let at = from + i;
            let rest = text[at + pat.len()..].trim_start();
            if rest.starts_with(':') {
                break Some(at);
            }
            from = at + pat.len();
        };
        match found {
            Some(at) => pos = at,
            None => break,
        }
    }
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn format_err(file: &str, text: &str, path: &str, msg: impl Into<String>) -> GeniusWebError {
    let (line, column) = locate(text, path);
    GeniusWebError::Format {
        file: file.into(),
        line,
        column,
        path: path.into(),
        msg: msg.into(),
    }
}

impl Ctx<'_> {
    fn err(&self, path: &str, msg: impl Into<String>) -> GeniusWebError {
        format_err(self.file, self.text, path, msg)
    }
    fn obj<'v>(
        &self,
        v: &'v Value,
        path: &str,
    ) -> Result<&'v serde_json::Map<String, Value>, GeniusWebError> {
        v.as_object()
            .ok_or_else(|| self.err(path, format!("expected an object, found {}", kind(v))))
    }
    fn get<'v>(
        &self,
        o: &'v serde_json::Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<&'v Value, GeniusWebError> {
        o.get(key)
            .ok_or_else(|| self.err(path, format!("missing `{key}`")))
    }
    fn num(&self, v: &Value, path: &str) -> Result<f64, GeniusWebError> {
        v.as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.err(path, format!("expected a number, found {}", kind(v))))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(text: &str, file: &str) -> Result<T, GeniusWebError> {
    serde_json::from_str(text).map_err(|e| GeniusWebError::Syntax {
        file: file.into(),
        line: e.line(),
        column: e.column(),
        msg: e.to_string(),
    })
}

/// The issue names of a domain document in file order (a `Value` sorts its keys).
fn issue_order(text: &str) -> Option<Vec<String>> {
    #[derive(Deserialize)]
    struct Top {
        #[serde(rename = "issuesValues")]
        iv: Ordered,
    }
    serde_json::from_str::<Top>(text)
        .ok()
        .map(|t| t.iv.0.into_iter().map(|(k, _)| k).collect())
}

/// Reads a domain object (`{"name", "issuesValues"}`); issues in key order.
fn domain_from(v: &Value, ctx: &Ctx, path: &str) -> Result<WebDomain, GeniusWebError> {
    let o = ctx.obj(v, path)?;
    let name = ctx
        .get(o, "name", path)?
        .as_str()
        .ok_or_else(|| ctx.err(&format!("{path}.name"), "expected a string"))?
        .to_string();
    let iv_path = format!("{path}.issuesValues");
    let iv = ctx.get(o, "issuesValues", path)?;
    // Re-read with order preserved.
    let ordered: Ordered = serde_json::from_value(iv.clone())
        .map_err(|_| ctx.err(&iv_path, "expected an object of issues"))?;
    let mut issues = Vec::new();
    for (issue, spec) in ordered.0 {
        let p = format!("{iv_path}.{issue}");
        let so = ctx.obj(&spec, &p)?;
        if let Some(vals) = so.get("values") {
            let arr = vals
                .as_array()
                .ok_or_else(|| ctx.err(&format!("{p}.values"), "expected an array of values"))?;
            let mut labels = Vec::new();
            for (i, x) in arr.iter().enumerate() {
                labels.push(match x {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    other => {
                        return Err(ctx.err(
                            &format!("{p}.values[{i}]"),
                            format!("expected a string or number, found {}", kind(other)),
                        ))
                    }
                });
            }
            issues.push((issue, WebValues::Discrete(labels)));
        } else if let Some(r) = so.get("range") {
            let rp = format!("{p}.range");
            let ro = ctx.obj(r, &rp)?;
            let low = ctx.num(ctx.get(ro, "low", &rp)?, &format!("{rp}.low"))?;
            let high = ctx.num(ctx.get(ro, "high", &rp)?, &format!("{rp}.high"))?;
            let step = ctx.num(ctx.get(ro, "step", &rp)?, &format!("{rp}.step"))?;
            if !(step > 0.0 && high >= low) {
                return Err(ctx.err(
                    &rp,
                    format!("range low {low}, high {high}, step {step}; expected low ≤ high and step > 0"),
                ));
            }
            issues.push((issue, WebValues::Range { low, high, step }));
        } else {
            return Err(ctx.err(&p, "expected `values` or `range`"));
        }
    }
    if issues.is_empty() {
        return Err(ctx.err(&iv_path, "the domain has no issues"));
    }
    Ok(WebDomain { name, issues })
}

/// Reads a domain file, keeping the issues in file order.
pub fn read_domain(text: &str, file: &str) -> Result<WebDomain, GeniusWebError> {
    let v: Value = parse_json(text, file)?;
    let mut d = domain_from(&v, &Ctx { file, text }, "$")?;
    if let Some(order) = issue_order(text) {
        d.issues
            .sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(usize::MAX));
    }
    Ok(d)
}

impl WebDomain {
    /// The engine's issues: discrete labels, or ranges as evenly spaced points.
    pub fn to_issues(&self) -> Result<Vec<BIssue>, negotium_bargain::BargainError> {
        self.issues
            .iter()
            .map(|(name, v)| match v {
                WebValues::Discrete(labels) => {
                    BIssue::categorical(name.clone(), labels.iter().cloned())
                }
                WebValues::Range { low, high, step } => {
                    let n = ((high - low) / step + 1e-9).floor() as usize + 1;
                    if n < 2 {
                        BIssue::categorical(name.clone(), [format!("{low}")])
                    } else {
                        BIssue::continuous(name.clone(), *low, low + step * (n - 1) as f64, n)
                    }
                }
            })
            .collect()
    }
}

/// The value index of a bid value on an issue.
fn value_index(issue: &BIssue, v: &Value, ctx: &Ctx, path: &str) -> Result<usize, GeniusWebError> {
    match v {
        Value::String(s) => issue.value_index(s).ok_or_else(|| {
            ctx.err(
                path,
                format!("`{s}` is not a value of issue `{}`", issue.name),
            )
        }),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let scale = issue.numbers.iter().fold(1.0f64, |m, y| m.max(y.abs()));
            issue
                .numbers
                .iter()
                .position(|y| (y - x).abs() <= 1e-9 * scale)
                .or_else(|| issue.value_index(&n.to_string()))
                .ok_or_else(|| {
                    ctx.err(
                        path,
                        format!("{x} is not a value of issue `{}`", issue.name),
                    )
                })
        }
        other => Err(ctx.err(path, format!("expected a value, found {}", kind(other)))),
    }
}

/// Reads a bid `{"issuevalues": {issue: value}}` into value indices.
fn bid(v: &Value, issues: &[BIssue], ctx: &Ctx, path: &str) -> Result<Vec<usize>, GeniusWebError> {
    let o = ctx.obj(v, path)?;
    let ivp = format!("{path}.issuevalues");
    let iv = ctx.obj(ctx.get(o, "issuevalues", path)?, &ivp)?;
    let mut out = Vec::new();
    for is in issues {
        let x = iv
            .get(&is.name)
            .ok_or_else(|| ctx.err(&ivp, format!("no value for issue `{}`", is.name)))?;
        out.push(value_index(is, x, ctx, &format!("{ivp}.{}", is.name))?);
    }
    if let Some(k) = iv.keys().find(|k| !issues.iter().any(|i| &i.name == *k)) {
        return Err(ctx.err(&ivp, format!("unknown issue `{k}`")));
    }
    Ok(out)
}

/// Reads a profile file against the scenario's domain.
pub fn read_profile(
    text: &str,
    file: &str,
    domain: &WebDomain,
    issues: &[BIssue],
) -> Result<WebProfile, GeniusWebError> {
    let ctx = Ctx { file, text };
    let v: Value = parse_json(text, file)?;
    let top = ctx.obj(&v, "$")?;
    let (kind_name, body) = top
        .iter()
        .next()
        .filter(|_| top.len() == 1)
        .ok_or_else(|| {
            ctx.err(
                "$",
                "expected one key: LinearAdditiveUtilitySpace, SumOfGroupsUtilitySpace or DefaultPartialOrdering",
            )
        })?;
    let path = format!("$.{kind_name}");
    let o = ctx.obj(body, &path)?;
    let name = o
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            Path::new(file)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    if let Some(dv) = o.get("domain") {
        let d = domain_from(dv, &ctx, &format!("{path}.domain"))?;
        let mut a = d.issues.clone();
        let mut b = domain.issues.clone();
        a.sort_by(|x, y| x.0.cmp(&y.0));
        b.sort_by(|x, y| x.0.cmp(&y.0));
        if a != b {
            return Err(ctx.err(
                &format!("{path}.domain"),
                format!(
                    "the profile's domain `{}` differs from the scenario's domain `{}` (issues or values)",
                    d.name, domain.name
                ),
            ));
        }
    }
    let reservation_bid = o.get("reservationBid").or(o.get("reservationbid"));
    let party = |utility: UtilityFn| -> Result<WebProfile, GeniusWebError> {
        let reservation = match reservation_bid {
            None | Some(Value::Null) => 0.0,
            Some(b) => {
                let values = bid(b, issues, &ctx, &format!("{path}.reservationBid"))?;
                utility.eval(&values)
            }
        };
        GeneralParty::new(name.clone(), utility, reservation, 1.0)
            .map(WebProfile::Utility)
            .map_err(|source| GeniusWebError::Model {
                file: file.into(),
                source,
            })
    };
    match kind_name.as_str() {
        "LinearAdditiveUtilitySpace" => {
            let up = format!("{path}.issueUtilities");
            let wp = format!("{path}.issueWeights");
            let iu = ctx.obj(ctx.get(o, "issueUtilities", &path)?, &up)?;
            let iw = ctx.obj(ctx.get(o, "issueWeights", &path)?, &wp)?;
            let mut weights = Vec::new();
            let mut fns = Vec::new();
            for is in issues {
                let w = iw
                    .get(&is.name)
                    .ok_or_else(|| ctx.err(&wp, format!("no weight for issue `{}`", is.name)))?;
                weights.push(ctx.num(w, &format!("{wp}.{}", is.name))?);
                let p = format!("{up}.{}", is.name);
                let spec = ctx.obj(
                    iu.get(&is.name)
                        .ok_or_else(|| ctx.err(&up, format!("no utilities for issue `{}`", is.name)))?,
                    &p,
                )?;
                let table = if let Some(d) = spec.get("discreteutils") {
                    let dp = format!("{p}.discreteutils.valueUtilities");
                    let vu = ctx.obj(ctx.get(ctx.obj(d, &format!("{p}.discreteutils"))?, "valueUtilities", &dp)?, &dp)?;
                    let mut t = vec![0.0; is.len()];
                    for (val, u) in vu {
                        let k = is.value_index(val).ok_or_else(|| {
                            ctx.err(&dp, format!("`{val}` is not a value of issue `{}`", is.name))
                        })?;
                        t[k] = ctx.num(u, &format!("{dp}.{val}"))?;
                    }
                    t
                } else if let Some(nu) = spec.get("numberutils") {
                    let np = format!("{p}.numberutils");
                    let no = ctx.obj(nu, &np)?;
                    let f = |k: &str| -> Result<f64, GeniusWebError> {
                        ctx.num(ctx.get(no, k, &np)?, &format!("{np}.{k}"))
                    };
                    let (lv, lu, hv, hu) = (f("lowValue")?, f("lowUtility")?, f("highValue")?, f("highUtility")?);
                    if hv <= lv {
                        return Err(ctx.err(&np, format!("highValue {hv} ≤ lowValue {lv}; expected highValue > lowValue")));
                    }
                    is.numbers
                        .iter()
                        .map(|&x| if x < lv || x > hv { 0.0 } else { lu + (hu - lu) * (x - lv) / (hv - lv) })
                        .collect()
                } else {
                    return Err(ctx.err(&p, "expected `discreteutils` or `numberutils`"));
                };
                if let Some(x) = table.iter().find(|x| !(0.0..=1.0).contains(*x)) {
                    return Err(ctx.err(&p, format!("utility {x} outside [0, 1]")));
                }
                fns.push(ValueFunction::Table(table));
            }
            let u = Utility::for_issues(issues, &weights, &fns, Normalisation::AsGiven, &name)
                .map_err(|source| GeniusWebError::Model {
                    file: file.into(),
                    source,
                })?;
            party(UtilityFn::Additive(u))
        }
        "SumOfGroupsUtilitySpace" => {
            let pp = format!("{path}.partUtilities");
            let parts: Ordered = serde_json::from_value(ctx.get(o, "partUtilities", &path)?.clone())
                .map_err(|_| ctx.err(&pp, "expected an object of groups"))?;
            let mut groups = Vec::new();
            for (gname, g) in parts.0 {
                let gp = format!("{pp}.{gname}.partsutils");
                let go = ctx.obj(
                    ctx.get(ctx.obj(&g, &format!("{pp}.{gname}"))?, "partsutils", &format!("{pp}.{gname}"))?,
                    &gp,
                )?;
                let names = ctx
                    .get(go, "issues", &gp)?
                    .as_array()
                    .ok_or_else(|| ctx.err(&format!("{gp}.issues"), "expected an array of issue names"))?;
                let mut gi = Vec::new();
                for (i, n) in names.iter().enumerate() {
                    let s = n.as_str().ok_or_else(|| ctx.err(&format!("{gp}.issues[{i}]"), "expected an issue name"))?;
                    gi.push(
                        issues
                            .iter()
                            .position(|x| x.name == s)
                            .ok_or_else(|| ctx.err(&format!("{gp}.issues[{i}]"), format!("unknown issue `{s}`")))?,
                    );
                }
                let list = ctx
                    .get(go, "utilslist", &gp)?
                    .as_array()
                    .ok_or_else(|| ctx.err(&format!("{gp}.utilslist"), "expected an array"))?;
                let mut utilities = std::collections::HashMap::new();
                for (j, e) in list.iter().enumerate() {
                    let ep = format!("{gp}.utilslist[{j}]");
                    let eo = ctx.obj(e, &ep)?;
                    let vals = ctx
                        .get(eo, "values", &ep)?
                        .as_array()
                        .ok_or_else(|| ctx.err(&format!("{ep}.values"), "expected an array of values"))?;
                    if vals.len() != gi.len() {
                        return Err(ctx.err(
                            &format!("{ep}.values"),
                            format!("{} values for {} issues", vals.len(), gi.len()),
                        ));
                    }
                    let mut key = Vec::new();
                    for (m, (val, &k)) in vals.iter().zip(&gi).enumerate() {
                        key.push(value_index(&issues[k], val, &ctx, &format!("{ep}.values[{m}]"))? as u32);
                    }
                    let u = ctx.num(ctx.get(eo, "util", &ep)?, &format!("{ep}.util"))?;
                    if !(0.0..=1.0).contains(&u) {
                        return Err(ctx.err(&format!("{ep}.util"), format!("utility {u} outside [0, 1]")));
                    }
                    utilities.insert(key, u);
                }
                groups.push(Group {
                    name: gname,
                    issues: gi,
                    utilities,
                });
            }
            let g = GroupUtility::new(groups, issues.len()).map_err(|m| ctx.err(&pp, m))?;
            party(UtilityFn::Groups(g))
        }
        "DefaultPartialOrdering" => {
            let bp = format!("{path}.bids");
            let arr = ctx
                .get(o, "bids", &path)?
                .as_array()
                .ok_or_else(|| ctx.err(&bp, "expected an array of bids"))?;
            let bids = arr
                .iter()
                .enumerate()
                .map(|(i, b)| bid(b, issues, &ctx, &format!("{bp}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            let btp = format!("{path}.better");
            let pairs = ctx
                .get(o, "better", &path)?
                .as_array()
                .ok_or_else(|| ctx.err(&btp, "expected an array of [better, worse] index pairs"))?;
            let mut better = Vec::new();
            for (i, pr) in pairs.iter().enumerate() {
                let p = format!("{btp}[{i}]");
                let ab = pr
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .and_then(|a| Some((a[0].as_u64()? as usize, a[1].as_u64()? as usize)))
                    .ok_or_else(|| ctx.err(&p, "expected [better index, worse index]"))?;
                if ab.0 >= bids.len() || ab.1 >= bids.len() {
                    return Err(ctx.err(&p, format!("index out of range: {} bids", bids.len())));
                }
                better.push(ab);
            }
            Ok(WebProfile::PartialOrdering { name, bids, better })
        }
        other => Err(ctx.err(
            "$",
            format!("unknown profile type `{other}`; expected LinearAdditiveUtilitySpace, SumOfGroupsUtilitySpace or DefaultPartialOrdering"),
        )),
    }
}

/// Whether `dir` holds a GeniusWeb scenario (a `.json` file with `issuesValues`).
pub fn is_geniusweb_dir(dir: &Path) -> bool {
    dir.is_dir()
        && std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten().any(|e| {
                    let p = e.path();
                    p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                        && std::fs::read_to_string(&p).is_ok_and(|t| t.contains("\"issuesValues\""))
                })
            })
            .unwrap_or(false)
}

/// Loads a GeniusWeb folder: the `.json` file whose top level has
/// `issuesValues` is the domain, every other `.json` file with a profile is a
/// party (file-name order, named by the profile's `name`). Partial orderings
/// are refused here (they give no utilities to negotiate with).
pub fn load_dir(dir: &Path) -> Result<GeneralProblem, GeniusWebError> {
    let d = dir.display().to_string();
    let dir_err = |msg: String| GeniusWebError::Dir {
        dir: d.clone(),
        msg,
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| GeniusWebError::Io {
            file: d.clone(),
            source,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        })
        .collect();
    files.sort();
    let mut domain = None;
    let mut profiles = Vec::new();
    for f in files {
        let file = f.display().to_string();
        let text = match crate::genius::read_utf8(&f) {
            Ok(t) => t,
            Err(crate::genius::Unreadable::Io(source)) => {
                return Err(GeniusWebError::Io { file, source })
            }
            Err(crate::genius::Unreadable::Utf8 { line, column, msg }) => {
                return Err(GeniusWebError::Syntax {
                    file,
                    line,
                    column,
                    msg,
                })
            }
        };
        let v: Value = parse_json(&text, &file)?;
        if v.get("issuesValues").is_some() {
            if domain.is_some() {
                return Err(dir_err(
                    "more than one domain file (a .json file with `issuesValues`)".into(),
                ));
            }
            domain = Some((file, text));
        } else {
            profiles.push((file, text));
        }
    }
    let (dfile, dtext) = domain
        .ok_or_else(|| dir_err("no domain file (a .json file with `issuesValues`)".into()))?;
    let wd = read_domain(&dtext, &dfile)?;
    let issues = wd.to_issues().map_err(|source| GeniusWebError::Model {
        file: dfile.clone(),
        source,
    })?;
    if profiles.len() < 2 {
        return Err(dir_err(format!(
            "{} profile file(s); expected at least two",
            profiles.len()
        )));
    }
    let mut parties = Vec::new();
    for (file, text) in &profiles {
        match read_profile(text, file, &wd, &issues)? {
            WebProfile::Utility(p) => parties.push(p),
            WebProfile::PartialOrdering { name, bids, .. } => {
                return Err(format_err(
                    file,
                    text,
                    "$.DefaultPartialOrdering",
                    format!(
                        "profile `{name}` is a partial ordering of {} bids: ordinal preferences without utilities, which negotium cannot negotiate; give a LinearAdditiveUtilitySpace or SumOfGroupsUtilitySpace",
                        bids.len()
                    ),
                ))
            }
        }
    }
    GeneralProblem::new(wd.name.clone(), issues, parties, Vec::new()).map_err(|source| {
        GeniusWebError::Model {
            file: d.clone(),
            source,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/geniusweb")
            .join(name)
    }

    #[test]
    fn trip_reads_linear_additive_and_sum_of_groups_profiles() {
        let g = load_dir(&fixture("trip")).unwrap();
        assert_eq!(g.name, "trip");
        let names: Vec<&str> = g.issues.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["city", "nights", "hotel"], "issue order as written");
        assert_eq!(g.issues[1].numbers, vec![2.0, 3.0, 4.0, 5.0]);
        assert_eq!(g.size(), 3 * 4 * 2);
        // Parties in file-name order: agency.json, tourist.json.
        let (agency, tourist) = (&g.parties[0], &g.parties[1]);
        assert_eq!(
            (agency.name.as_str(), tourist.name.as_str()),
            ("agency", "tourist")
        );
        // tourist: Kyoto 1, 4 nights 0.9·(4 − 2)/3 = 0.6, ryokan 1 → .5 + .3·.6 + .2 = 0.88.
        assert!((tourist.utility.eval(&[0, 2, 0]) - 0.88).abs() < 1e-12);
        // Reservation bid (Nara, 3, business): .5·.5 + .3·.3 + .2·.2 = 0.38.
        assert!(
            (tourist.reservation - 0.38).abs() < 1e-12,
            "{}",
            tourist.reservation
        );
        // agency: (Osaka, business) .6 + 5 nights .4 = 1; (Nara, ·) 0 + 3 nights 0 = 0.
        assert!((agency.utility.eval(&[1, 3, 1]) - 1.0).abs() < 1e-12);
        assert_eq!(agency.utility.eval(&[2, 1, 0]), 0.0);
        assert!((agency.utility.eval(&[0, 0, 0]) - 0.2).abs() < 1e-12);
        assert_eq!(agency.reservation, 0.0);
        assert!(is_geniusweb_dir(&fixture("trip")));
    }

    #[test]
    fn partial_orderings_are_read_but_not_negotiated() {
        let dir = fixture("ordering");
        let dtext = std::fs::read_to_string(dir.join("trip.json")).unwrap();
        let d = read_domain(&dtext, "trip.json").unwrap();
        let issues = d.to_issues().unwrap();
        let text = std::fs::read_to_string(dir.join("guide.json")).unwrap();
        match read_profile(&text, "guide.json", &d, &issues).unwrap() {
            WebProfile::PartialOrdering { name, bids, better } => {
                assert_eq!(name, "guide");
                assert_eq!(bids, vec![vec![2, 0, 0], vec![0, 3, 0]]);
                assert_eq!(better, vec![(0, 1)]);
            }
            other => panic!("expected a partial ordering, got {other:?}"),
        }
        let e = load_dir(&dir).unwrap_err().to_string();
        assert!(
            e.contains("guide.json") && e.contains("partial ordering"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_file_and_the_json_path() {
        let d = read_domain(
            r#"{"name":"t","issuesValues":{"a":{"values":["x","y"]},"n":{"range":{"low":0,"high":2,"step":1}}}}"#,
            "d.json",
        )
        .unwrap();
        let issues = d.to_issues().unwrap();
        let cases = [
            (r#"{"LinearAdditiveUtilitySpace":{"issueUtilities":{"a":{"discreteutils":{"valueUtilities":{"z":1}}},"n":{"numberutils":{"lowValue":0,"lowUtility":0,"highValue":2,"highUtility":1}}},"issueWeights":{"a":0.5,"n":0.5}}}"#,
             "$.LinearAdditiveUtilitySpace.issueUtilities.a.discreteutils.valueUtilities: `z` is not a value of issue `a`"),
            (r#"{"LinearAdditiveUtilitySpace":{"issueUtilities":{"a":{"discreteutils":{"valueUtilities":{"x":1}}}},"issueWeights":{"a":0.5,"n":0.5}}}"#,
             "$.LinearAdditiveUtilitySpace.issueUtilities: no utilities for issue `n`"),
            (r#"{"LinearAdditiveUtilitySpace":{"issueUtilities":{"a":{"discreteutils":{"valueUtilities":{"x":1}}},"n":{"numberutils":{"lowValue":2,"lowUtility":0,"highValue":2,"highUtility":1}}},"issueWeights":{"a":0.5,"n":0.5}}}"#,
             "highValue 2 ≤ lowValue 2"),
            (r#"{"LinearAdditiveUtilitySpace":{"issueUtilities":{"a":{"discreteutils":{"valueUtilities":{"x":1.5}}},"n":{"numberutils":{"lowValue":0,"lowUtility":0,"highValue":2,"highUtility":1}}},"issueWeights":{"a":0.5,"n":0.5}}}"#,
             "$.LinearAdditiveUtilitySpace.issueUtilities.a: utility 1.5 outside [0, 1]"),
            (r#"{"SumOfGroupsUtilitySpace":{"partUtilities":{"g":{"partsutils":{"issues":["a"],"utilslist":[{"values":["x"],"util":0.5}]}}}}}"#,
             "issue 1 is in no group"),
            (r#"{"SumOfGroupsUtilitySpace":{"partUtilities":{"g":{"partsutils":{"issues":["a","n"],"utilslist":[{"values":["x",7],"util":0.5}]}}}}}"#,
             "$.SumOfGroupsUtilitySpace.partUtilities.g.partsutils.utilslist[0].values[1]: 7 is not a value of issue `n`"),
            (r#"{"Mystery":{}}"#, "unknown profile type `Mystery`"),
            ("{\n  \"LinearAdditiveUtilitySpace\": [\n}", "p.json:3:1: JSON syntax"),
        ];
        for (text, want) in cases {
            let e = read_profile(text, "p.json", &d, &issues)
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("p.json"), "{e}");
            assert!(e.contains(want), "{e}\n  expected: {want}");
        }
    }
}

#[cfg(test)]
mod locate_tests {
    use super::*;

    /// A value of the wrong type deep in a profile is reported at the line
    /// and column of its key (counted by hand in the text below).
    #[test]
    fn format_errors_carry_the_line_and_column_of_the_key() {
        let domain = r#"{"name": "d", "issuesValues": {"i": {"values": ["a", "b"]}}}"#;
        let d = read_domain(domain, "d.json").unwrap();
        let issues = d.to_issues().unwrap();
        let profile = "{\n  \"LinearAdditiveUtilitySpace\": {\n    \"name\": \"p\",\n    \"domain\": {\"name\": \"d\", \"issuesValues\": {\"i\": {\"values\": [\"a\", \"b\"]}}},\n    \"issueUtilities\": {\"i\": {\"DiscreteValueSetUtilities\": {\"valueUtilities\": {\"a\": 1, \"b\": 0}}}},\n    \"issueWeights\": {\"i\": \"heavy\"}\n  }\n}\n";
        let e = read_profile(profile, "p.json", &d, &issues)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        // Line 6 is `    "issueWeights": {"i": "heavy"}`; its `"i"` key is at column 22.
        assert!(e.starts_with("p.json:6:22: "), "{e}");
        assert_eq!(locate("{\n \"a\": {\"b\": 1}}", "$.a.b"), (2, 8));
        assert_eq!(locate("{}", "$.missing"), (1, 1));
    }
}
