//! Reader for GENIUS XML domains and profiles — written with the bargaining lens.
//!
//! A domain file (`<negotiation_template><utility_space><objective>`) lists
//! issues: `discrete` with `<item value=…>`, `integer` with
//! `lowerbound`/`upperbound`, `real` with bounds (discretised into
//! `real_points` evenly spaced values). A profile file (`<utility_space>`)
//! gives per issue the item `evaluation`s or an `<evaluator ftype="linear">`
//! (`slope`/`offset`, or `parameter1`/`parameter0`), `<weight index value>`,
//! `<reservation value>` and `<discount_factor value>`.
//!
//! Normalisation follows GENIUS: each discrete issue's evaluations are
//! divided by that issue's maximum evaluation; linear evaluators are used as
//! written; weights are divided by their sum. Non-linear (`hyperRectangle`)
//! profiles are rejected with a clear error.

use std::path::Path;

use negotium_bargain::domain::Issue as BIssue;
use negotium_bargain::prefs::Reservation;
use negotium_bargain::{Domain, Normalisation, Party, Problem, Utility, ValueFunction};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Why a GENIUS file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GeniusError {
    #[error("cannot read {file}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: XML error at byte {pos}: {msg}")]
    Xml { file: String, pos: u64, msg: String },
    #[error("{file}: {msg}")]
    Format { file: String, msg: String },
    #[error("{dir}: {msg}")]
    Dir { dir: String, msg: String },
    #[error("{file}: {source}")]
    Model {
        file: String,
        #[source]
        source: negotium_bargain::BargainError,
    },
}

/// One issue as declared by a domain file.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusIssue {
    pub index: u32,
    pub name: String,
    pub kind: GeniusKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum GeniusKind {
    Discrete(Vec<String>),
    Integer { lo: i64, hi: i64 },
    Real { lo: f64, hi: f64 },
}

/// One profile's raw contents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeniusProfile {
    /// Issue index → weight.
    pub weights: Vec<(u32, f64)>,
    /// Issue index → (item value → evaluation).
    pub items: Vec<(u32, Vec<(String, f64)>)>,
    /// Issue index → (slope, offset).
    pub linear: Vec<(u32, f64, f64)>,
    pub reservation: Option<f64>,
    pub discount: Option<f64>,
    pub nonlinear: bool,
}

fn attr(e: &BytesStart, name: &str, file: &str) -> Result<Option<String>, GeniusError> {
    for a in e.attributes() {
        let a = a.map_err(|err| GeniusError::Format {
            file: file.into(),
            msg: format!("bad attribute: {err}"),
        })?;
        if a.key.as_ref().eq_ignore_ascii_case(name.as_bytes()) {
            let v = a.unescape_value().map_err(|err| GeniusError::Format {
                file: file.into(),
                msg: format!("bad attribute value: {err}"),
            })?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

fn num<T: std::str::FromStr>(
    e: &BytesStart,
    name: &str,
    file: &str,
) -> Result<Option<T>, GeniusError> {
    match attr(e, name, file)? {
        None => Ok(None),
        Some(s) => s
            .trim()
            .parse::<T>()
            .map(Some)
            .map_err(|_| GeniusError::Format {
                file: file.into(),
                msg: format!(
                    "<{}> attribute {name}=\"{s}\" is not a number",
                    String::from_utf8_lossy(e.name().as_ref())
                ),
            }),
    }
}

fn need<T>(v: Option<T>, what: &str, file: &str) -> Result<T, GeniusError> {
    v.ok_or_else(|| GeniusError::Format {
        file: file.into(),
        msg: format!("missing {what}"),
    })
}

/// Every element start (or empty element) with its tag name, in document order, with depth.
fn elements(
    xml: &str,
    file: &str,
) -> Result<Vec<(usize, String, BytesStart<'static>)>, GeniusError> {
    let mut r = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let ev = r.read_event().map_err(|e| GeniusError::Xml {
            file: file.into(),
            pos: r.buffer_position(),
            msg: e.to_string(),
        })?;
        match ev {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
                out.push((depth, name, e.into_owned()));
                depth += 1;
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
                out.push((depth, name, e.into_owned()));
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Reads a domain file's issues.
pub fn read_domain(xml: &str, file: &str) -> Result<Vec<GeniusIssue>, GeniusError> {
    let els = elements(xml, file)?;
    if !els
        .iter()
        .any(|(_, n, _)| n == "negotiation_template" || n == "utility_space")
    {
        return Err(GeniusError::Format {
            file: file.into(),
            msg: "not a GENIUS domain: expected a <negotiation_template> root".into(),
        });
    }
    let mut issues: Vec<GeniusIssue> = Vec::new();
    let mut cur: Option<usize> = None;
    for (_, name, e) in &els {
        match name.as_str() {
            "issue" => {
                let index: u32 = need(num(e, "index", file)?, "issue attribute index", file)?;
                let iname = need(attr(e, "name", file)?, "issue attribute name", file)?;
                let ty = attr(e, "type", file)?
                    .or(attr(e, "etype", file)?)
                    .unwrap_or_else(|| "discrete".into())
                    .to_ascii_lowercase();
                let kind = match ty.as_str() {
                    "discrete" => GeniusKind::Discrete(Vec::new()),
                    "integer" => GeniusKind::Integer {
                        lo: need(num(e, "lowerbound", file)?, "integer issue lowerbound", file)?,
                        hi: need(num(e, "upperbound", file)?, "integer issue upperbound", file)?,
                    },
                    "real" => GeniusKind::Real {
                        lo: need(num(e, "lowerbound", file)?, "real issue lowerbound", file)?,
                        hi: need(num(e, "upperbound", file)?, "real issue upperbound", file)?,
                    },
                    other => {
                        return Err(GeniusError::Format {
                            file: file.into(),
                            msg: format!("issue `{iname}` has type `{other}`; expected discrete, integer or real"),
                        })
                    }
                };
                issues.push(GeniusIssue {
                    index,
                    name: iname,
                    kind,
                });
                cur = Some(issues.len() - 1);
            }
            "item" => {
                let Some(c) = cur else { continue };
                let v = need(attr(e, "value", file)?, "item attribute value", file)?;
                if let GeniusKind::Discrete(vals) = &mut issues[c].kind {
                    vals.push(v);
                }
            }
            _ => {}
        }
    }
    if issues.is_empty() {
        return Err(GeniusError::Format {
            file: file.into(),
            msg: "the domain declares no <issue>".into(),
        });
    }
    Ok(issues)
}

/// Reads a profile file.
pub fn read_profile(xml: &str, file: &str) -> Result<GeniusProfile, GeniusError> {
    let els = elements(xml, file)?;
    let mut p = GeniusProfile::default();
    let mut cur: Option<u32> = None;
    for (_, name, e) in &els {
        match name.as_str() {
            "issue" => {
                let index: u32 = need(num(e, "index", file)?, "issue attribute index", file)?;
                cur = Some(index);
                p.items.push((index, Vec::new()));
            }
            "item" => {
                let Some(c) = cur else { continue };
                let v = need(attr(e, "value", file)?, "item attribute value", file)?;
                let ev: f64 = need(
                    num(e, "evaluation", file)?,
                    &format!("evaluation of item `{v}`"),
                    file,
                )?;
                if let Some((_, items)) = p.items.iter_mut().rev().find(|(i, _)| *i == c) {
                    items.push((v, ev));
                }
            }
            "evaluator" => {
                let Some(c) = cur else { continue };
                let ftype = attr(e, "ftype", file)?
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if ftype != "linear" {
                    return Err(GeniusError::Format {
                        file: file.into(),
                        msg: format!(
                            "evaluator ftype `{ftype}` for issue {c}; only `linear` is supported"
                        ),
                    });
                }
                let slope = num::<f64>(e, "slope", file)?.or(num(e, "parameter1", file)?);
                let offset = num::<f64>(e, "offset", file)?.or(num(e, "parameter0", file)?);
                p.linear.push((
                    c,
                    need(slope, "evaluator slope", file)?,
                    need(offset, "evaluator offset", file)?,
                ));
            }
            "weight" => {
                let index: u32 = need(num(e, "index", file)?, "weight attribute index", file)?;
                let v: f64 = need(num(e, "value", file)?, "weight attribute value", file)?;
                p.weights.push((index, v));
            }
            "reservation" => p.reservation = num(e, "value", file)?,
            "discount_factor" => p.discount = num(e, "value", file)?,
            "hyperrectangle" | "ufun" => p.nonlinear = true,
            _ => {}
        }
    }
    Ok(p)
}

/// Builds the engine's issues (real issues discretised into `real_points`).
pub fn to_issues(
    issues: &[GeniusIssue],
    real_points: usize,
) -> Result<Vec<BIssue>, negotium_bargain::BargainError> {
    issues
        .iter()
        .map(|i| match &i.kind {
            GeniusKind::Discrete(v) => BIssue::categorical(i.name.clone(), v.iter().cloned()),
            GeniusKind::Integer { lo, hi } => BIssue::integer(i.name.clone(), *lo, *hi),
            GeniusKind::Real { lo, hi } => {
                BIssue::continuous(i.name.clone(), *lo, *hi, real_points)
            }
        })
        .collect()
}

/// A party from a profile over the domain's issues (GENIUS normalisation).
pub fn to_party(
    name: &str,
    issues: &[GeniusIssue],
    domain: &Domain,
    prof: &GeniusProfile,
    file: &str,
) -> Result<Party, GeniusError> {
    let fmt = |msg: String| GeniusError::Format {
        file: file.into(),
        msg,
    };
    if prof.nonlinear {
        return Err(fmt(
            "non-linear (hyperRectangle) profiles are not supported; expected a linear additive profile".into(),
        ));
    }
    let mut weights = Vec::new();
    let mut fns = Vec::new();
    for gi in issues {
        let w = prof
            .weights
            .iter()
            .find(|(i, _)| *i == gi.index)
            .map(|(_, w)| *w)
            .ok_or_else(|| {
                fmt(format!(
                    "no <weight index=\"{}\"> for issue `{}`",
                    gi.index, gi.name
                ))
            })?;
        weights.push(w);
        let f = match &gi.kind {
            GeniusKind::Discrete(vals) => {
                let items = prof
                    .items
                    .iter()
                    .find(|(i, it)| *i == gi.index && !it.is_empty())
                    .map(|(_, it)| it)
                    .ok_or_else(|| fmt(format!("no item evaluations for issue `{}`", gi.name)))?;
                let mut t = Vec::new();
                for v in vals {
                    let ev = items
                        .iter()
                        .find(|(x, _)| x == v)
                        .map(|(_, e)| *e)
                        .ok_or_else(|| {
                            fmt(format!("issue `{}`: no evaluation for item `{v}`", gi.name))
                        })?;
                    t.push(ev);
                }
                let mx = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                if mx <= 0.0 {
                    return Err(fmt(format!(
                        "issue `{}`: the largest evaluation is {mx}; GENIUS normalisation needs a positive maximum",
                        gi.name
                    )));
                }
                ValueFunction::Table(t.into_iter().map(|x| x / mx).collect())
            }
            _ => {
                let (_, slope, offset) = prof
                    .linear
                    .iter()
                    .find(|(i, _, _)| *i == gi.index)
                    .ok_or_else(|| fmt(format!("no linear <evaluator> for issue `{}`", gi.name)))?;
                ValueFunction::Linear {
                    slope: *slope,
                    offset: *offset,
                }
            }
        };
        fns.push(f);
    }
    let model = |source| GeniusError::Model {
        file: file.into(),
        source,
    };
    let u = Utility::new(domain, &weights, &fns, Normalisation::AsGiven, name).map_err(model)?;
    Party::new(
        name,
        u,
        Reservation::Value(prof.reservation.unwrap_or(0.0)),
        prof.discount.unwrap_or(1.0),
    )
    .map_err(model)
}

/// Whether `dir` looks like a GENIUS domain directory (has a `.xml` domain file).
pub fn is_genius_dir(dir: &Path) -> bool {
    dir.is_dir()
        && std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten().any(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("xml"))
                })
            })
            .unwrap_or(false)
}

/// Loads a GENIUS directory: the one file whose root is `<negotiation_template>`
/// is the domain; every other `.xml` file with a `<utility_space>` root is a
/// profile (parties in file-name order, named by file stem).
pub fn load_dir(dir: &Path, real_points: usize) -> Result<Problem, GeniusError> {
    let d = dir.display().to_string();
    let dir_err = |msg: String| GeniusError::Dir {
        dir: d.clone(),
        msg,
    };
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| GeniusError::Io {
            file: d.clone(),
            source,
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml")))
        .collect();
    files.sort();
    let mut domain_file = None;
    let mut profiles = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|source| GeniusError::Io {
            file: f.display().to_string(),
            source,
        })?;
        if text.contains("<negotiation_template") {
            if domain_file.is_some() {
                return Err(dir_err(
                    "more than one domain file (<negotiation_template>)".into(),
                ));
            }
            domain_file = Some((f, text));
        } else if text.contains("<utility_space") {
            profiles.push((f, text));
        }
    }
    let (df, dtext) = domain_file.ok_or_else(|| {
        dir_err("no domain file (an .xml file with a <negotiation_template> root)".into())
    })?;
    if profiles.len() < 2 {
        return Err(dir_err(format!(
            "{} profile file(s); expected at least two .xml files with a <utility_space> root",
            profiles.len()
        )));
    }
    let dfile = df.display().to_string();
    let gissues = read_domain(&dtext, &dfile)?;
    let issues = to_issues(&gissues, real_points).map_err(|source| GeniusError::Model {
        file: dfile.clone(),
        source,
    })?;
    let domain = Domain::with_limit(
        issues,
        negotium_bargain::domain::MAX_OUTCOMES,
        profiles.len(),
    )
    .map_err(|source| GeniusError::Model {
        file: dfile.clone(),
        source,
    })?;
    let mut parties = Vec::new();
    for (f, text) in &profiles {
        let file = f.display().to_string();
        let prof = read_profile(text, &file)?;
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("party{}", parties.len()));
        parties.push(to_party(&name, &gissues, &domain, &prof, &file)?);
    }
    let name = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "genius".into());
    Problem::new(name, domain, parties).map_err(|source| GeniusError::Model {
        file: d.clone(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/genius")
            .join(name)
    }

    #[test]
    fn holiday_domain_reads_with_genius_normalisation() {
        let p = load_dir(&fixture("holiday"), 3).unwrap();
        assert_eq!(p.name, "holiday");
        let names: Vec<&str> = p.parties.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(names, ["alice", "bob"]);
        assert_eq!(p.domain.size(), 3 * 5 * 3);
        assert_eq!(p.domain.issues[2].numbers, vec![500.0, 1000.0, 1500.0]);
        // Hand-computed: alice (beach 10/10, 4 nights (4·.25 − .5 = .5), budget 1000 (1.5 − 1 = .5)).
        let o = p.domain.encode(&[0, 2, 1]).unwrap();
        let ua = p.parties[0].utility.eval(&p.domain, o);
        assert!(
            (ua - (0.5 * 1.0 + 0.3 * 0.5 + 0.2 * 0.5)).abs() < 1e-12,
            "{ua}"
        );
        // bob: beach 2/8 = .25, 4 nights (1.5 − 1 = .5), budget 1000 (1 − .5 = .5).
        let ub = p.parties[1].utility.eval(&p.domain, o);
        assert!(
            (ub - (0.4 * 0.25 + 0.2 * 0.5 + 0.4 * 0.5)).abs() < 1e-12,
            "{ub}"
        );
        assert_eq!(p.parties[0].reservation, 0.3);
        assert_eq!(p.parties[0].discount, 0.9);
        assert_eq!(p.parties[1].reservation, 0.25);
        assert_eq!(p.parties[1].discount, 1.0);
    }

    #[test]
    fn unsupported_and_incomplete_profiles_are_clear_errors() {
        let e = load_dir(&fixture("nonlinear"), 3).unwrap_err().to_string();
        assert!(e.contains("non-linear"), "{e}");
        let e = load_dir(&fixture("missing-weight"), 3)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("no <weight index=\"3\">") && e.contains("b.xml"),
            "{e}"
        );
        let e = read_domain("<negotiation_template><oops", "x.xml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.xml"), "{e}");
        let e = load_dir(&fixture("does-not-exist"), 3)
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot read"), "{e}");
    }
}
