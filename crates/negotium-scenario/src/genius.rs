//! Reader for GENIUS XML domains and profiles — written with the bargaining lens.
//!
//! A domain file (`<negotiation_template><utility_space><objective>`) lists
//! issues: `discrete` with `<item value=…>`, `integer` with
//! `lowerbound`/`upperbound`, `real` with bounds (discretised into
//! `real_points` evenly spaced values). A linear profile file
//! (`<utility_space>`) gives per issue the item `evaluation`s or an
//! `<evaluator ftype="linear">` (`slope`/`offset`, or
//! `parameter1`/`parameter0`), `<weight index value>`, `<reservation
//! value>` and `<discount_factor value>`. A non-linear profile (ANAC 2014)
//! has a `<utility maxutility>` element holding `<ufun aggregation weight>`
//! functions of `<hyperRectangle utility weight>` constraints, each with
//! `<INCLUDES index min max/>` or `<EXCLUDES …/>` bounds on integer issues
//! (see [`negotium_bargain::ufun`] for how GENIUS evaluates them).
//!
//! Read as GENIUS reads them, and said so in the problem's notes:
//! * each discrete issue's evaluations are divided by that issue's maximum
//!   evaluation; when that maximum is below 10⁻⁵ (an issue the party does
//!   not care about: all evaluations 0) every value scores 0 — GENIUS's
//!   `EvaluatorDiscrete.normalize`, and NegMAS's raw evaluations give the
//!   same utilities; a linear evaluator scores `slope·(x − lowerbound) +
//!   offset` on an integer issue and `slope·x + offset` on a real one,
//!   clamped to [0, 1] (GENIUS's `EvaluatorInteger` and `EvaluatorReal`;
//!   NegMAS applies `slope·x + offset` unclamped); weights are divided by
//!   their sum;
//! * a discount factor ≤ 0 or > 1 means "no discount" (δ = 1), as GENIUS's
//!   `validateDiscount`; a missing one is 1, a missing reservation value 0.
//!
//! Errors name the file and, for elements, the line and column.

use std::path::Path;

use negotium_bargain::domain::Issue as BIssue;
use negotium_bargain::prefs::Reservation;
use negotium_bargain::ufun::{
    Aggregation, Bound, RectKind, RectNode, RectUtility, Rectangle, UtilityFn,
};
use negotium_bargain::{
    Domain, GeneralParty, GeneralProblem, Normalisation, Party, Problem, Utility, ValueFunction,
};
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
    #[error("{file}:{line}:{column}: XML error: {msg}")]
    Xml {
        file: String,
        line: usize,
        column: usize,
        msg: String,
    },
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
    /// `file:line:column` of its `<issue>` element.
    pub at: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum GeniusKind {
    Discrete(Vec<String>),
    Integer { lo: i64, hi: i64 },
    Real { lo: f64, hi: f64 },
}

/// A hyper-rectangle as written: bounds on issue `index` attributes and integer values.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRect {
    pub exclusive: bool,
    /// `(issue index attribute, min, max)`.
    pub bounds: Vec<(u32, i64, i64)>,
    pub utility: f64,
    pub weight: f64,
    /// `file:line:column` of the element.
    pub at: String,
}

/// A `<ufun>` as written.
#[derive(Debug, Clone, PartialEq)]
pub struct RawUfun {
    pub aggregation: Aggregation,
    pub weight: f64,
    pub rects: Vec<RawRect>,
    pub children: Vec<RawUfun>,
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
    /// The non-linear `<utility>`: `maxutility` and its root `<ufun>`.
    pub nonlinear: Option<(f64, RawUfun)>,
    /// `file:line:column` of the root element (where problems of the
    /// profile as a whole are reported).
    pub at: String,
    /// `file:line:column` of each `<issue index>` element.
    pub issue_at: Vec<(u32, String)>,
    /// `file:line:column` of the first `<weight>`, `<reservation>`,
    /// `<discount_factor>` and `<utility>` elements, when present.
    pub weight_at: Option<String>,
    pub reservation_at: Option<String>,
    pub utility_at: Option<String>,
}

impl GeniusProfile {
    /// Where to report a problem with issue `index`: its `<issue>` element,
    /// else the profile's root.
    fn issue_location(&self, index: u32) -> &str {
        self.issue_at
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, a)| a.as_str())
            .unwrap_or(&self.at)
    }
}

/// A number an attribute may hold, with what a value out of its range
/// should be told it expected.
trait AttrNum: std::str::FromStr {
    /// The expected range in words, for integers.
    const RANGE: Option<&'static str>;
    /// Whether a parsed value is usable (finite for floats).
    fn ok(&self) -> bool {
        true
    }
}
impl AttrNum for u32 {
    const RANGE: Option<&'static str> = Some("a whole number from 0 to 4294967295");
}
impl AttrNum for i64 {
    const RANGE: Option<&'static str> =
        Some("a whole number from -9223372036854775808 to 9223372036854775807");
}
impl AttrNum for f64 {
    const RANGE: Option<&'static str> = None;
    fn ok(&self) -> bool {
        self.is_finite()
    }
}

/// Why a text file could not be read.
pub(crate) enum Unreadable {
    Io(std::io::Error),
    /// Not UTF-8: the 1-based line and column of the first bad byte.
    Utf8 {
        line: usize,
        column: usize,
        msg: String,
    },
}

/// Reads a file as UTF-8 text; invalid UTF-8 is located at its first bad byte.
pub(crate) fn read_utf8(path: &Path) -> Result<String, Unreadable> {
    let bytes = std::fs::read(path).map_err(Unreadable::Io)?;
    String::from_utf8(bytes).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let text = String::from_utf8_lossy(&bytes[..good]);
        let (line, column) = line_col(&text, good);
        Unreadable::Utf8 {
            line,
            column,
            msg: format!(
                "byte 0x{:02x} is not valid UTF-8; expected UTF-8 text",
                bytes[good]
            ),
        }
    })
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..pos.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// An element of the document: depth, lower-cased tag, attributes, byte offset, children.
struct El {
    name: String,
    start: BytesStart<'static>,
    pos: usize,
    children: Vec<usize>,
}

/// The deepest element nesting a GENIUS file may have (real files nest
/// four or five deep); deeper input is refused where it passes the bound,
/// so no later walk over the tree can grow with a hostile depth.
pub const MAX_XML_DEPTH: usize = 64;

/// The document as a tree (index 0 is a virtual root).
struct Doc<'a> {
    els: Vec<El>,
    text: &'a str,
    file: &'a str,
}

impl<'a> Doc<'a> {
    fn parse(text: &'a str, file: &'a str) -> Result<Doc<'a>, GeniusError> {
        let mut r = Reader::from_str(text);
        let mut els = vec![El {
            name: String::new(),
            start: BytesStart::new(""),
            pos: 0,
            children: Vec::new(),
        }];
        let mut stack = vec![0usize];
        loop {
            let pos = r.buffer_position() as usize;
            let ev = r.read_event().map_err(|e| {
                let (line, column) = line_col(text, r.buffer_position() as usize);
                GeniusError::Xml {
                    file: file.into(),
                    line,
                    column,
                    msg: e.to_string(),
                }
            })?;
            match ev {
                Event::Start(_) if stack.len() > MAX_XML_DEPTH => {
                    let (line, column) = line_col(text, pos);
                    return Err(GeniusError::Xml {
                        file: file.into(),
                        line,
                        column,
                        msg: format!(
                            "elements nested more than {MAX_XML_DEPTH} deep; expected a GENIUS domain or profile (a few levels)"
                        ),
                    });
                }
                Event::Start(e) => {
                    let id = els.len();
                    els.push(El {
                        name: String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase(),
                        start: e.into_owned(),
                        pos,
                        children: Vec::new(),
                    });
                    let parent = *stack.last().expect("root");
                    els[parent].children.push(id);
                    stack.push(id);
                }
                Event::Empty(e) => {
                    let id = els.len();
                    els.push(El {
                        name: String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase(),
                        start: e.into_owned(),
                        pos,
                        children: Vec::new(),
                    });
                    let parent = *stack.last().expect("root");
                    els[parent].children.push(id);
                }
                Event::End(_) if stack.len() > 1 => {
                    stack.pop();
                }
                Event::Eof if stack.len() > 1 => {
                    // quick-xml does not report elements left open at the
                    // end of the input (a truncated file): do it here.
                    let open = *stack.last().expect("non-empty");
                    let (ol, oc) = line_col(text, els[open].pos);
                    let (line, column) = line_col(text, text.len());
                    return Err(GeniusError::Xml {
                        file: file.into(),
                        line,
                        column,
                        msg: format!(
                            "the file ends inside <{}> (opened at line {ol}, column {oc}); expected its closing tag — is the file truncated?",
                            els[open].name
                        ),
                    });
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(Doc { els, text, file })
    }

    fn at(&self, i: usize) -> String {
        let (l, c) = line_col(self.text, self.els[i].pos);
        format!("{}:{l}:{c}", self.file)
    }

    fn err(&self, i: usize, msg: String) -> GeniusError {
        let (l, c) = line_col(self.text, self.els[i].pos);
        GeniusError::Format {
            file: format!("{}:{l}:{c}", self.file),
            msg,
        }
    }

    /// Every element in document order (excluding the virtual root).
    fn all(&self) -> impl Iterator<Item = usize> + '_ {
        1..self.els.len()
    }

    fn attr(&self, i: usize, name: &str) -> Result<Option<String>, GeniusError> {
        for a in self.els[i].start.attributes() {
            let a = a.map_err(|err| self.err(i, format!("bad attribute: {err}")))?;
            if a.key.as_ref().eq_ignore_ascii_case(name.as_bytes()) {
                let v = a
                    .unescape_value()
                    .map_err(|err| self.err(i, format!("bad attribute value: {err}")))?;
                return Ok(Some(v.into_owned()));
            }
        }
        Ok(None)
    }

    fn num<T: AttrNum>(&self, i: usize, name: &str) -> Result<Option<T>, GeniusError> {
        let Some(s) = self.attr(i, name)? else {
            return Ok(None);
        };
        let el = &self.els[i].name;
        let t = s.trim();
        let what = match (t.parse::<T>(), T::RANGE) {
            (Ok(v), _) if v.ok() => return Ok(Some(v)),
            (Ok(_), _) => "is not a finite number".to_string(),
            // An integer literal that does not fit, or a fraction where a
            // whole number is expected: say what was expected, not "not a number".
            (Err(_), Some(range)) if t.parse::<f64>().is_ok_and(f64::is_finite) => {
                format!("is out of range; expected {range}")
            }
            (Err(_), Some(range)) => format!("is not a number; expected {range}"),
            (Err(_), None) => "is not a number".to_string(),
        };
        Err(self.err(i, format!("<{el}> attribute {name}=\"{s}\" {what}")))
    }

    /// The first element named `name` (in document order).
    fn first(&self, name: &str) -> Option<usize> {
        self.all().find(|&i| self.els[i].name == name)
    }

    /// `file:line:column` of the first element, or `file:1:1`.
    fn root_at(&self) -> String {
        if self.els.len() > 1 {
            self.at(1)
        } else {
            format!("{}:1:1", self.file)
        }
    }

    fn need<T>(&self, i: usize, v: Option<T>, what: &str) -> Result<T, GeniusError> {
        v.ok_or_else(|| self.err(i, format!("<{}> is missing {what}", self.els[i].name)))
    }
}

/// Reads a domain file's issues.
pub fn read_domain(xml: &str, file: &str) -> Result<Vec<GeniusIssue>, GeniusError> {
    let doc = Doc::parse(xml, file)?;
    if !doc
        .all()
        .any(|i| doc.els[i].name == "negotiation_template" || doc.els[i].name == "utility_space")
    {
        return Err(GeniusError::Format {
            file: doc.root_at(),
            msg: "not a GENIUS domain: expected a <negotiation_template> root".into(),
        });
    }
    let mut issues: Vec<GeniusIssue> = Vec::new();
    for i in doc.all() {
        if doc.els[i].name != "issue" {
            continue;
        }
        let index: u32 = doc.need(i, doc.num(i, "index")?, "attribute index")?;
        let iname = doc.need(i, doc.attr(i, "name")?, "attribute name")?;
        let ty = doc
            .attr(i, "type")?
            .or(doc.attr(i, "etype")?)
            .unwrap_or_else(|| "discrete".into())
            .to_ascii_lowercase();
        let kind = match ty.as_str() {
            "discrete" => {
                let mut vals: Vec<String> = Vec::new();
                for &c in &doc.els[i].children {
                    if doc.els[c].name == "item" {
                        let v = doc.need(c, doc.attr(c, "value")?, "attribute value")?;
                        if vals.contains(&v) {
                            return Err(doc.err(
                                c,
                                format!("issue `{iname}`: item value `{v}` appears twice; expected distinct values"),
                            ));
                        }
                        vals.push(v);
                    }
                }
                if vals.is_empty() {
                    return Err(doc.err(
                        i,
                        format!("discrete issue `{iname}` has no <item>; expected at least one"),
                    ));
                }
                GeniusKind::Discrete(vals)
            }
            "integer" => GeniusKind::Integer {
                lo: doc.need(i, doc.num(i, "lowerbound")?, "attribute lowerbound")?,
                hi: doc.need(i, doc.num(i, "upperbound")?, "attribute upperbound")?,
            },
            "real" => GeniusKind::Real {
                lo: doc.need(i, doc.num(i, "lowerbound")?, "attribute lowerbound")?,
                hi: doc.need(i, doc.num(i, "upperbound")?, "attribute upperbound")?,
            },
            other => {
                return Err(doc.err(
                    i,
                    format!(
                        "issue `{iname}` has type `{other}`; expected discrete, integer or real"
                    ),
                ))
            }
        };
        if let Some(prev) = issues.iter().find(|g| g.name == iname) {
            return Err(doc.err(
                i,
                format!(
                    "issue name `{iname}` is already used at {}; expected distinct issue names",
                    prev.at
                ),
            ));
        }
        if let Some(prev) = issues.iter().find(|g| g.index == index) {
            return Err(doc.err(
                i,
                format!(
                    "issue index {index} is already used by `{}` at {}; expected distinct indices",
                    prev.name, prev.at
                ),
            ));
        }
        issues.push(GeniusIssue {
            index,
            name: iname,
            kind,
            at: doc.at(i),
        });
    }
    if issues.is_empty() {
        return Err(GeniusError::Format {
            file: doc.root_at(),
            msg: "the domain declares no <issue>".into(),
        });
    }
    Ok(issues)
}

fn read_ufun(doc: &Doc, i: usize) -> Result<RawUfun, GeniusError> {
    let agg = doc
        .attr(i, "aggregation")?
        .unwrap_or_else(|| "sum".into())
        .to_ascii_lowercase();
    let aggregation = match agg.as_str() {
        "sum" => Aggregation::Sum,
        "min" => Aggregation::Min,
        "max" => Aggregation::Max,
        other => {
            return Err(doc.err(
                i,
                format!("<ufun> aggregation `{other}`; expected sum, min or max"),
            ))
        }
    };
    let weight = doc.num(i, "weight")?.unwrap_or(1.0);
    let mut u = RawUfun {
        aggregation,
        weight,
        rects: Vec::new(),
        children: Vec::new(),
    };
    for &c in &doc.els[i].children {
        match doc.els[c].name.as_str() {
            "ufun" => u.children.push(read_ufun(doc, c)?),
            "hyperrectangle" => {
                let utility: f64 = doc.need(c, doc.num(c, "utility")?, "attribute utility")?;
                let weight = doc.num(c, "weight")?.unwrap_or(1.0);
                let mut bounds = Vec::new();
                let mut kinds = (false, false);
                for &b in &doc.els[c].children {
                    let name = doc.els[b].name.as_str();
                    if name != "includes" && name != "excludes" {
                        continue;
                    }
                    if name == "includes" {
                        kinds.0 = true;
                    } else {
                        kinds.1 = true;
                    }
                    bounds.push((
                        doc.need(b, doc.num(b, "index")?, "attribute index")?,
                        doc.need(b, doc.num(b, "min")?, "attribute min")?,
                        doc.need(b, doc.num(b, "max")?, "attribute max")?,
                    ));
                }
                if kinds.0 && kinds.1 {
                    return Err(doc.err(
                        c,
                        "<hyperRectangle> mixes INCLUDES and EXCLUDES; expected one kind".into(),
                    ));
                }
                u.rects.push(RawRect {
                    exclusive: kinds.1,
                    bounds,
                    utility,
                    weight,
                    at: doc.at(c),
                });
            }
            _ => {}
        }
    }
    Ok(u)
}

/// Reads a profile file.
pub fn read_profile(xml: &str, file: &str) -> Result<GeniusProfile, GeniusError> {
    let doc = Doc::parse(xml, file)?;
    let mut p = GeniusProfile {
        at: doc.root_at(),
        weight_at: doc.first("weight").map(|i| doc.at(i)),
        reservation_at: doc.first("reservation").map(|i| doc.at(i)),
        utility_at: doc.first("utility").map(|i| doc.at(i)),
        ..GeniusProfile::default()
    };
    for i in doc.all() {
        match doc.els[i].name.as_str() {
            "issue" => {
                let index: u32 = doc.need(i, doc.num(i, "index")?, "attribute index")?;
                p.issue_at.push((index, doc.at(i)));
                let mut items = Vec::new();
                for &c in &doc.els[i].children {
                    match doc.els[c].name.as_str() {
                        "item" => {
                            let v = doc.need(c, doc.attr(c, "value")?, "attribute value")?;
                            let ev: f64 = doc.need(
                                c,
                                doc.num(c, "evaluation")?,
                                &format!("the evaluation of item `{v}`"),
                            )?;
                            items.push((v, ev));
                        }
                        "evaluator" => {
                            let ftype = doc
                                .attr(c, "ftype")?
                                .unwrap_or_default()
                                .to_ascii_lowercase();
                            if ftype != "linear" {
                                return Err(doc.err(
                                    c,
                                    format!(
                                        "evaluator ftype `{ftype}` for issue {index}; only `linear` is supported"
                                    ),
                                ));
                            }
                            let slope = doc.num::<f64>(c, "slope")?.or(doc.num(c, "parameter1")?);
                            let offset = doc.num::<f64>(c, "offset")?.or(doc.num(c, "parameter0")?);
                            p.linear.push((
                                index,
                                doc.need(c, slope, "attribute slope")?,
                                doc.need(c, offset, "attribute offset")?,
                            ));
                        }
                        _ => {}
                    }
                }
                p.items.push((index, items));
            }
            "weight" => {
                let index: u32 = doc.need(i, doc.num(i, "index")?, "attribute index")?;
                let v: f64 = doc.need(i, doc.num(i, "value")?, "attribute value")?;
                p.weights.push((index, v));
            }
            "reservation" => p.reservation = doc.num(i, "value")?,
            "discount_factor" => p.discount = doc.num(i, "value")?,
            "utility" => {
                let max: f64 = doc.need(i, doc.num(i, "maxutility")?, "attribute maxutility")?;
                let root = doc.els[i]
                    .children
                    .iter()
                    .copied()
                    .find(|&c| doc.els[c].name == "ufun")
                    .ok_or_else(|| doc.err(i, "<utility> holds no <ufun>".into()))?;
                p.nonlinear = Some((max, read_ufun(&doc, root)?));
            }
            _ => {}
        }
    }
    Ok(p)
}

/// Builds the engine's issues (real issues discretised into
/// `real_points`); a problem is reported at the issue's element.
pub fn to_issues(issues: &[GeniusIssue], real_points: usize) -> Result<Vec<BIssue>, GeniusError> {
    issues
        .iter()
        .map(|i| {
            match &i.kind {
                GeniusKind::Discrete(v) => BIssue::categorical(i.name.clone(), v.iter().cloned()),
                GeniusKind::Integer { lo, hi } => BIssue::integer(i.name.clone(), *lo, *hi),
                GeniusKind::Real { lo, hi } => {
                    BIssue::continuous(i.name.clone(), *lo, *hi, real_points)
                }
            }
            .map_err(|source| GeniusError::Model {
                file: i.at.clone(),
                source,
            })
        })
        .collect()
}

/// Discount factor as GENIUS reads it: ≤ 0 or > 1 means no discount.
fn genius_discount(d: Option<f64>, name: &str, notes: &mut Vec<String>) -> f64 {
    match d {
        None => 1.0,
        Some(x) if x > 0.0 && x <= 1.0 => x,
        Some(x) => {
            notes.push(format!(
                "{name}: discount_factor {x} read as 1 (no discount), as GENIUS does for a factor ≤ 0 or > 1"
            ));
            1.0
        }
    }
}

fn rect_tree(raw: &RawUfun, issues: &[GeniusIssue]) -> Result<RectNode, GeniusError> {
    let fmt = |at: &str, msg: String| GeniusError::Format {
        file: at.to_string(),
        msg,
    };
    let mut rectangles = Vec::new();
    for r in &raw.rects {
        let mut bounds = Vec::new();
        for &(index, min, max) in &r.bounds {
            let (pos, gi) = issues
                .iter()
                .enumerate()
                .find(|(_, g)| g.index == index)
                .ok_or_else(|| {
                    fmt(
                        &r.at,
                        format!(
                            "a bound names issue index {index}, which the domain does not declare"
                        ),
                    )
                })?;
            let GeniusKind::Integer { lo, hi } = gi.kind else {
                return Err(fmt(
                    &r.at,
                    format!(
                        "a bound on issue `{}`; hyperRectangle bounds need integer issues",
                        gi.name
                    ),
                ));
            };
            // Value v has index v − lo; bounds are clipped to the issue's range
            // (an empty range never holds, as in GENIUS's integer comparison).
            let a = min.max(lo);
            let b = max.min(hi);
            let (a, b) = if a > b {
                (1, 0)
            } else {
                ((a - lo) as usize, (b - lo) as usize)
            };
            bounds.push(Bound {
                issue: pos,
                lo: a,
                hi: b,
            });
        }
        rectangles.push(Rectangle {
            kind: if r.exclusive {
                RectKind::Exclusive
            } else {
                RectKind::Inclusive
            },
            bounds,
            utility: r.utility,
            weight: r.weight,
        });
    }
    let children = raw
        .children
        .iter()
        .map(|c| rect_tree(c, issues))
        .collect::<Result<_, _>>()?;
    Ok(RectNode {
        aggregation: raw.aggregation,
        weight: raw.weight,
        rectangles,
        children,
    })
}

/// A general party from a profile (linear additive or non-linear), with
/// GENIUS's reading of evaluations and discounts (see the module doc).
pub fn to_general_party(
    name: &str,
    issues: &[GeniusIssue],
    engine_issues: &[BIssue],
    prof: &GeniusProfile,
    file: &str,
    notes: &mut Vec<String>,
) -> Result<GeneralParty, GeniusError> {
    // Every problem is placed in the file: at the element concerned, else
    // the profile's root element (`file:1:1` when it has none).
    let root_at = if prof.at.is_empty() {
        format!("{file}:1:1")
    } else {
        prof.at.clone()
    };
    let fmt_at = |at: &str, msg: String| GeniusError::Format {
        file: if at.is_empty() {
            root_at.clone()
        } else {
            at.to_string()
        },
        msg,
    };
    let model_at = |at: Option<&String>| {
        let file = at.cloned().unwrap_or_else(|| root_at.clone());
        move |source| GeniusError::Model { file, source }
    };
    let discount = genius_discount(prof.discount, name, notes);
    let reservation = prof.reservation.unwrap_or(0.0);
    if let Some((max, raw)) = &prof.nonlinear {
        let root = rect_tree(raw, issues)?;
        let sizes: Vec<usize> = engine_issues.iter().map(BIssue::len).collect();
        let uat = prof.utility_at.clone().unwrap_or_else(|| root_at.clone());
        let r = RectUtility::new(root, *max, &sizes).map_err(|m| fmt_at(&uat, m))?;
        return GeneralParty::new(name, UtilityFn::Rectangles(r), reservation, discount)
            .map_err(model_at(prof.reservation_at.as_ref()));
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
                fmt_at(
                    prof.issue_location(gi.index),
                    format!(
                        "no <weight index=\"{}\"> for issue `{}`; expected a weight for every issue of the domain",
                        gi.index, gi.name
                    ),
                )
            })?;
        weights.push(w);
        let f = match &gi.kind {
            GeniusKind::Discrete(vals) => {
                let items = prof
                    .items
                    .iter()
                    .find(|(i, it)| *i == gi.index && !it.is_empty())
                    .map(|(_, it)| it)
                    .ok_or_else(|| {
                        fmt_at(
                            prof.issue_location(gi.index),
                            format!(
                                "no item evaluations for issue `{}` (index {})",
                                gi.name, gi.index
                            ),
                        )
                    })?;
                let mut t = Vec::new();
                for v in vals {
                    let ev = items
                        .iter()
                        .find(|(x, _)| x == v)
                        .map(|(_, e)| *e)
                        .ok_or_else(|| {
                            fmt_at(
                                prof.issue_location(gi.index),
                                format!("issue `{}`: no evaluation for item `{v}`", gi.name),
                            )
                        })?;
                    t.push(ev);
                }
                let mx = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                if mx < 1e-5 {
                    notes.push(format!(
                        "{name}: issue `{}` has largest evaluation {mx}; every value scores 0, as GENIUS normalises (and as NegMAS's raw evaluations give)",
                        gi.name
                    ));
                    ValueFunction::Table(vec![0.0; t.len()])
                } else {
                    ValueFunction::Table(t.into_iter().map(|x| x / mx).collect())
                }
            }
            _ => {
                let (_, slope, offset) = prof
                    .linear
                    .iter()
                    .find(|(i, _, _)| *i == gi.index)
                    .ok_or_else(|| {
                        fmt_at(
                            prof.issue_location(gi.index),
                            format!(
                                "no linear <evaluator> for issue `{}` (index {})",
                                gi.name, gi.index
                            ),
                        )
                    })?;
                // GENIUS: integer issues evaluate slope·(x − lowerbound) + offset,
                // real issues slope·x + offset; both clamped to [0, 1].
                let ei = &engine_issues[weights.len() - 1];
                let shift = match gi.kind {
                    GeniusKind::Integer { lo, .. } => lo as f64,
                    _ => 0.0,
                };
                let raw: Vec<f64> = ei
                    .numbers
                    .iter()
                    .map(|x| slope * (x - shift) + offset)
                    .collect();
                let t: Vec<f64> = raw.iter().map(|x| x.clamp(0.0, 1.0)).collect();
                if raw != t {
                    notes.push(format!(
                        "{name}: issue `{}`: the linear evaluator leaves [0, 1] (from {:.3} to {:.3}); clamped to [0, 1] as GENIUS does",
                        gi.name,
                        raw.iter().cloned().fold(f64::INFINITY, f64::min),
                        raw.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
                    ));
                }
                ValueFunction::Table(t)
            }
        };
        fns.push(f);
    }
    let u = Utility::for_issues(engine_issues, &weights, &fns, Normalisation::AsGiven, name)
        .map_err(model_at(prof.weight_at.as_ref()))?;
    GeneralParty::new(name, UtilityFn::Additive(u), reservation, discount)
        .map_err(model_at(prof.reservation_at.as_ref()))
}

/// A party from a linear profile over an enumerable domain (GENIUS normalisation).
pub fn to_party(
    name: &str,
    issues: &[GeniusIssue],
    domain: &Domain,
    prof: &GeniusProfile,
    file: &str,
) -> Result<Party, GeniusError> {
    if prof.nonlinear.is_some() {
        return Err(GeniusError::Format {
            file: file.into(),
            msg: "a non-linear (hyperRectangle) profile cannot be enumerated as a linear additive party; load it with load_dir_general".into(),
        });
    }
    let mut notes = Vec::new();
    let g = to_general_party(name, issues, &domain.issues, prof, file, &mut notes)?;
    let UtilityFn::Additive(u) = g.utility else {
        unreachable!("linear profile")
    };
    Party::new(name, u, Reservation::Value(g.reservation), g.discount).map_err(|source| {
        GeniusError::Model {
            file: file.into(),
            source,
        }
    })
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

/// Loads a GENIUS directory of any size and utility kind: the one file
/// whose root is `<negotiation_template>` is the domain; every other `.xml`
/// file with a `<utility_space>` root is a profile (parties in file-name
/// order, named by file stem). How the files were read goes into the
/// problem's notes.
pub fn load_dir_general(dir: &Path, real_points: usize) -> Result<GeneralProblem, GeniusError> {
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
        let file = f.display().to_string();
        let text = match read_utf8(&f) {
            Ok(t) => t,
            Err(Unreadable::Io(source)) => return Err(GeniusError::Io { file, source }),
            Err(Unreadable::Utf8 { line, column, msg }) => {
                return Err(GeniusError::Xml {
                    file,
                    line,
                    column,
                    msg,
                })
            }
        };
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
    let issues = to_issues(&gissues, real_points)?;
    let mut parties = Vec::new();
    let mut notes = Vec::new();
    for (f, text) in &profiles {
        let file = f.display().to_string();
        let prof = read_profile(text, &file)?;
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("party{}", parties.len()));
        parties.push(to_general_party(
            &name, &gissues, &issues, &prof, &file, &mut notes,
        )?);
    }
    let name = dir
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "genius".into());
    GeneralProblem::new(name, issues, parties, notes).map_err(|source| GeniusError::Model {
        file: d.clone(),
        source,
    })
}

/// Loads a GENIUS directory as an enumerated linear additive problem (at
/// most [`negotium_bargain::domain::MAX_OUTCOMES`] outcomes); larger or
/// non-linear ones are errors here — use [`load_dir_general`].
pub fn load_dir(dir: &Path, real_points: usize) -> Result<Problem, GeniusError> {
    let g = load_dir_general(dir, real_points)?;
    let d = dir.display().to_string();
    if let Some(p) = g.parties.iter().find(|p| p.utility.as_additive().is_none()) {
        return Err(GeniusError::Format {
            file: d,
            msg: format!(
                "profile `{}` is non-linear ({}); it needs the implicit engine (load_dir_general), not a linear additive enumeration",
                p.name,
                p.utility.kind_name()
            ),
        });
    }
    let limit = negotium_bargain::domain::MAX_OUTCOMES;
    match g.to_problem(limit) {
        Some(r) => r.map_err(|source| GeniusError::Model { file: d, source }),
        None => Err(GeniusError::Model {
            file: d,
            source: Domain::with_limit(g.issues.clone(), limit, g.parties.len())
                .expect_err("over the limit"),
        }),
    }
}

/// GENIUS's `<utility_space>`-rooted non-linear profile keyed by issue
/// index, for tests and tools: the rectangle count per profile.
pub fn count_rectangles(prof: &GeniusProfile) -> usize {
    fn walk(u: &RawUfun) -> usize {
        u.rects.len() + u.children.iter().map(walk).sum::<usize>()
    }
    prof.nonlinear.as_ref().map(|(_, u)| walk(u)).unwrap_or(0)
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
        // Hand-computed with GENIUS's evaluators: alice — beach 10/10; 4 nights on an
        // integer issue from 2: .25·(4 − 2) − .5 = 0; budget 1000 on a real issue:
        // 1.5 − .001·1000 = .5.
        let o = p.domain.encode(&[0, 2, 1]).unwrap();
        let ua = p.parties[0].utility.eval(&p.domain, o);
        assert!(
            (ua - (0.5 * 1.0 + 0.3 * 0.0 + 0.2 * 0.5)).abs() < 1e-12,
            "{ua}"
        );
        // bob: beach 2/8 = .25; 4 nights: −.25·(4 − 2) + 1.5 = 1; budget 1000: .001·1000 − .5 = .5.
        let ub = p.parties[1].utility.eval(&p.domain, o);
        assert!(
            (ub - (0.4 * 0.25 + 0.2 * 1.0 + 0.4 * 0.5)).abs() < 1e-12,
            "{ub}"
        );
        // alice, 6 nights: .25·4 − .5 = .5; 2 nights: −.5, clamped to 0 as GENIUS does.
        let t = &p.parties[0].utility.tables[1];
        assert_eq!(t[4], 0.5);
        assert_eq!(t[0], 0.0);
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

    #[test]
    fn zero_discount_and_all_zero_issue_are_read_as_genius_does() {
        let g = load_dir_general(&fixture("zero-discount"), 3).unwrap();
        let farmer = &g.parties[0];
        assert_eq!(farmer.name, "farmer");
        assert_eq!(farmer.discount, 1.0);
        assert_eq!(g.parties[1].discount, 0.8);
        assert!(
            g.notes
                .iter()
                .any(|n| n.contains("discount_factor 0 read as 1")),
            "{:?}",
            g.notes
        );
        assert!(
            g.notes
                .iter()
                .any(|n| n.contains("`park`") && n.contains("scores 0")),
            "{:?}",
            g.notes
        );
        // farmer: park scores 0 everywhere; canal yes 8/8, no 2/8; weights .4/.6.
        assert!((farmer.utility.eval(&[0, 0]) - 0.6).abs() < 1e-12);
        assert!((farmer.utility.eval(&[2, 1]) - 0.6 * 0.25).abs() < 1e-12);
        assert_eq!(farmer.reservation, 0.1);
        // The enumerated path accepts it too.
        let p = load_dir(&fixture("zero-discount"), 3).unwrap();
        assert_eq!(p.parties[0].discount, 1.0);
    }

    #[test]
    fn nonlinear_hyper_rectangles_evaluate_as_genius_does() {
        let g = load_dir_general(&fixture("nonlinear-small"), 3).unwrap();
        assert_eq!(g.size(), 125);
        let (buyer, seller) = (&g.parties[0].utility, &g.parties[1].utility);
        assert_eq!(buyer.kind_name(), "hyper-rectangles");
        // Value indices: a, b as written, c − 10.
        let cases = [[0, 3, 2], [4, 4, 4], [2, 0, 0], [3, 1, 1]];
        // Hand-computed (see the fixture): buyer 30 if a ≤ 1 ∧ c ≥ 12, 20 if b ≥ 3,
        // 10 if a = 4; seller 25 if a ≥ 3, 15 if b ≤ 2 ∧ c ≤ 11, and 2·max(5 if b = 4, 3).
        let buyer_raw = |v: [usize; 3]| {
            (if v[0] <= 1 && v[2] >= 2 { 30.0 } else { 0.0 })
                + (if v[1] >= 3 { 20.0 } else { 0.0 })
                + (if v[0] == 4 { 10.0 } else { 0.0 })
        };
        let seller_raw = |v: [usize; 3]| {
            (if v[0] >= 3 { 25.0 } else { 0.0 })
                + (if v[1] <= 2 && v[2] <= 1 { 15.0 } else { 0.0 })
                + 2.0 * if v[1] == 4 { 5.0 } else { 3.0 }
        };
        for v in cases {
            assert_eq!(buyer.eval(&v), (buyer_raw(v) / 50.0f64).min(1.0), "{v:?}");
            assert_eq!(seller.eval(&v), (seller_raw(v) / 40.0f64).min(1.0), "{v:?}");
        }
        assert_eq!(seller.eval(&[3, 1, 1]), 1.0, "46/40 is capped at 1");
        for a in 0..5 {
            for b in 0..5 {
                for c in 0..5 {
                    let v = [a, b, c];
                    assert_eq!(buyer.eval(&v), (buyer_raw(v) / 50.0f64).min(1.0));
                    assert_eq!(seller.eval(&v), (seller_raw(v) / 40.0f64).min(1.0));
                }
            }
        }
        assert_eq!(g.parties[0].reservation, 0.2);
        assert_eq!(g.parties[1].discount, 0.5);
        let e = load_dir(&fixture("nonlinear-small"), 3)
            .unwrap_err()
            .to_string();
        assert!(e.contains("non-linear"), "{e}");
    }

    #[test]
    fn nonlinear_errors_are_located() {
        let xml = "<utility_space>\n<objective>\n<utility maxutility=\"x\">\n</utility></objective></utility_space>";
        let e = read_profile(xml, "p.xml").unwrap_err().to_string();
        assert!(e.starts_with("p.xml:3:1"), "{e}");
        assert!(e.contains("maxutility=\"x\" is not a number"), "{e}");
        let xml = "<utility_space><utility maxutility=\"5\">\n<ufun aggregation=\"avg\"/></utility></utility_space>";
        let e = read_profile(xml, "p.xml").unwrap_err().to_string();
        assert!(
            e.contains("p.xml:2:1") && e.contains("aggregation `avg`"),
            "{e}"
        );
        let xml = "<utility_space><utility maxutility=\"5\"><ufun>\n  <hyperRectangle utility=\"1\"><INCLUDES index=\"1\" min=\"0\"/></hyperRectangle></ufun></utility></utility_space>";
        let e = read_profile(xml, "p.xml").unwrap_err().to_string();
        assert!(
            e.contains("p.xml:2:") && e.contains("missing attribute max"),
            "{e}"
        );
    }

    #[test]
    fn hardening_findings_are_located_errors() {
        // A truncated domain (quick-xml reports no open element at the end).
        let xml = "<negotiation_template>\n  <utility_space>\n    <issue index=\"1\" name=\"a\" type=\"discrete\">\n      <item value=\"p\"/>\n";
        let e = read_domain(xml, "d.xml").unwrap_err().to_string();
        assert!(
            e.starts_with(
                "d.xml:5:1: XML error: the file ends inside <issue> (opened at line 3, column 5)"
            ),
            "{e}"
        );
        // An index that does not fit is out of range, not "not a number".
        let xml = "<negotiation_template>\n<issue index=\"4294967296\" name=\"a\"><item value=\"p\"/></issue></negotiation_template>";
        let e = read_domain(xml, "d.xml").unwrap_err().to_string();
        assert!(
            e.starts_with("d.xml:2:1: <issue> attribute index=\"4294967296\" is out of range; expected a whole number from 0 to 4294967295"),
            "{e}"
        );
        let xml = "<negotiation_template><issue index=\"x1\" name=\"a\"/></negotiation_template>";
        let e = read_domain(xml, "d.xml").unwrap_err().to_string();
        assert!(
            e.contains("is not a number; expected a whole number"),
            "{e}"
        );
        // Non-finite numbers, duplicate issues and empty discrete issues.
        let xml = "<utility_space>\n<weight index=\"1\" value=\"inf\"/></utility_space>";
        let e = read_profile(xml, "p.xml").unwrap_err().to_string();
        assert!(
            e.starts_with("p.xml:2:1:") && e.contains("is not a finite number"),
            "{e}"
        );
        let xml = "<negotiation_template>\n<issue index=\"1\" name=\"a\"><item value=\"p\"/></issue>\n<issue index=\"2\" name=\"a\"><item value=\"q\"/></issue></negotiation_template>";
        let e = read_domain(xml, "d.xml").unwrap_err().to_string();
        assert!(
            e.starts_with("d.xml:3:1:") && e.contains("already used at d.xml:2:1"),
            "{e}"
        );
        let xml =
            "<negotiation_template>\n<issue index=\"1\" name=\"a\"></issue></negotiation_template>";
        let e = read_domain(xml, "d.xml").unwrap_err().to_string();
        assert!(
            e.starts_with("d.xml:2:1:") && e.contains("has no <item>"),
            "{e}"
        );
        // An engine refusal of an issue is placed at the issue.
        let xml = "<negotiation_template>\n\n<issue index=\"1\" name=\"n\" type=\"integer\" lowerbound=\"5\" upperbound=\"2\"/></negotiation_template>";
        let g = read_domain(xml, "d.xml").unwrap();
        let e = to_issues(&g, 3).unwrap_err().to_string();
        assert!(
            e.starts_with("d.xml:3:1:") && e.contains("below lower bound"),
            "{e}"
        );
        // A missing weight is placed at the profile's issue element.
        let e = load_dir(&fixture("missing-weight"), 3)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("b.xml:") && e.contains("no <weight index=\"3\">"),
            "{e}"
        );
        assert!(
            e.split("b.xml:")
                .nth(1)
                .is_some_and(|r| r.as_bytes()[0].is_ascii_digit()),
            "{e}"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["alice.xml", "bob.xml", "holiday_domain.xml"] {
            std::fs::copy(fixture("holiday").join(f), dir.path().join(f)).unwrap();
        }
        let mut bytes = std::fs::read(dir.path().join("bob.xml")).unwrap();
        let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 3;
        bytes[at] = 0xff;
        std::fs::write(dir.path().join("bob.xml"), bytes).unwrap();
        let e = load_dir_general(dir.path(), 3).unwrap_err().to_string();
        assert!(
            e.contains("bob.xml:2:3: XML error: byte 0xff is not valid UTF-8"),
            "{e}"
        );
    }
}
