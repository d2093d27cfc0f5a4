//! Validation primitives shared by the core format and every section module:
//! a [`Path`] into the document, a list of [`Problems`] found at paths, and
//! [`Refs`], the ids a section may refer to.
//!
//! Semantic checks speak in paths (`stance[3].position`); the loader turns a
//! path into a file line and column (TOML) or keeps it as a JSON path.

use std::collections::BTreeSet;
use std::fmt;

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path from the document root to a value, e.g. `conflict.option[2].dm`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Self {
        Path(Vec::new())
    }
    /// This path extended by a table key.
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
    /// JSON-path rendering: `$.stance[3].position`.
    pub fn json_path(&self) -> String {
        let mut s = String::from("$");
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        write!(f, ".")?;
                    }
                    write!(f, "{k}")?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// A semantic problem at a path: what is wrong and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: Path,
    pub message: String,
}

/// Problems collected during validation (all of them, not just the first).
#[derive(Debug, Clone, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, path: Path, message: impl Into<String>) {
        self.0.push(Problem {
            path,
            message: message.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The ids declared by the core of a scenario, which sections may reference.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    pub actors: BTreeSet<String>,
    pub issues: BTreeSet<String>,
}

impl Refs {
    /// Checks that `id` names a declared actor; reports at `path` otherwise.
    pub fn check_actor(&self, id: &str, path: Path, problems: &mut Problems) -> bool {
        if self.actors.contains(id) {
            true
        } else {
            problems.push(
                path,
                format!(
                    "unknown actor `{id}`: expected one of the ids declared in [[actor]] ({})",
                    join_ids(&self.actors)
                ),
            );
            false
        }
    }
    /// Checks that `id` names a declared issue; reports at `path` otherwise.
    pub fn check_issue(&self, id: &str, path: Path, problems: &mut Problems) -> bool {
        if self.issues.contains(id) {
            true
        } else {
            problems.push(
                path,
                format!(
                    "unknown issue `{id}`: expected one of the ids declared in [[issue]] ({})",
                    join_ids(&self.issues)
                ),
            );
            false
        }
    }
}

/// `a, b, c` (at most 12 shown).
pub fn join_ids(ids: &BTreeSet<String>) -> String {
    let mut v: Vec<&str> = ids.iter().map(String::as_str).take(12).collect();
    if ids.len() > 12 {
        v.push("…");
    }
    v.join(", ")
}

/// Reports every id that appears more than once in `ids` (paths built by `at`).
pub fn check_unique<'a>(
    ids: impl IntoIterator<Item = &'a str>,
    what: &str,
    at: impl Fn(usize) -> Path,
    problems: &mut Problems,
) {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for (i, id) in ids.into_iter().enumerate() {
        if let Some(first) = seen.get(id) {
            problems.push(
                at(i),
                format!("duplicate {what} id `{id}`: already declared at index {first}; ids must be unique"),
            );
        } else {
            seen.insert(id, i);
        }
    }
}

/// Checks a parsed scenario: ids, references, ranges, dates and every
/// optional section. Returns every problem found (empty when valid).
pub fn validate(s: &crate::Scenario) -> Problems {
    let mut p = Problems::default();
    let root = Path::root();
    let inp = &s.inputs;

    let meta = root.key("scenario");
    check_id(&s.scenario.id, meta.key("id"), "scenario", &mut p);
    if let Some(d) = &s.scenario.as_of {
        check_date(d, meta.key("as_of"), &mut p);
    }

    // Actors.
    check_unique(
        inp.actors.iter().map(|a| a.id.as_str()),
        "actor",
        |i| root.key("actor").index(i).key("id"),
        &mut p,
    );
    for (i, a) in inp.actors.iter().enumerate() {
        let at = root.key("actor").index(i);
        check_id(&a.id, at.key("id"), "actor", &mut p);
        if !(a.capability.is_finite() && a.capability >= 0.0) {
            p.push(
                at.key("capability"),
                format!(
                    "capability {} of actor `{}` is invalid: expected a finite number ≥ 0",
                    a.capability, a.id
                ),
            );
        }
    }
    if inp.actors.len() < 2 {
        p.push(
            root.key("actor"),
            format!(
                "a scenario needs at least 2 [[actor]] entries, found {}",
                inp.actors.len()
            ),
        );
    }

    // Issues.
    check_unique(
        inp.issues.iter().map(|x| x.id.as_str()),
        "issue",
        |i| root.key("issue").index(i).key("id"),
        &mut p,
    );
    for (i, is) in inp.issues.iter().enumerate() {
        let at = root.key("issue").index(i);
        check_id(&is.id, at.key("id"), "issue", &mut p);
        let range_ok = is.min.is_finite() && is.max.is_finite() && is.min < is.max;
        if !range_ok {
            p.push(
                at.key("max"),
                format!(
                    "issue `{}` has min {} and max {}: expected finite numbers with min < max",
                    is.id, is.min, is.max
                ),
            );
            continue;
        }
        if let Some(q) = is.status_quo {
            check_in_range(q, is, at.key("status_quo"), "status_quo", &mut p);
        }
        for (j, pt) in is.points.iter().enumerate() {
            check_in_range(
                pt.at,
                is,
                at.key("points").index(j).key("at"),
                "labelled point",
                &mut p,
            );
        }
    }

    let refs = Refs {
        actors: inp.actors.iter().map(|a| a.id.clone()).collect(),
        issues: inp.issues.iter().map(|x| x.id.clone()).collect(),
    };

    // Stances.
    let mut seen_pairs = std::collections::BTreeMap::<(&str, &str), usize>::new();
    let mut per_issue = std::collections::BTreeMap::<&str, BTreeSet<&str>>::new();
    for (i, st) in inp.stances.iter().enumerate() {
        let at = root.key("stance").index(i);
        let actor_ok = refs.check_actor(&st.actor, at.key("actor"), &mut p);
        let issue_ok = refs.check_issue(&st.issue, at.key("issue"), &mut p);
        if let Some(first) = seen_pairs.insert((st.actor.as_str(), st.issue.as_str()), i) {
            p.push(
                at.key("actor"),
                format!(
                    "duplicate stance of actor `{}` on issue `{}`: already given at stance[{first}]",
                    st.actor, st.issue
                ),
            );
        }
        if issue_ok {
            if let Some(is) = inp.issue(&st.issue) {
                if is.min < is.max {
                    check_in_range(st.position, is, at.key("position"), "position", &mut p);
                }
            }
            if actor_ok {
                per_issue
                    .entry(st.issue.as_str())
                    .or_default()
                    .insert(st.actor.as_str());
            }
        }
        if !(st.salience.is_finite() && (0.0..=1.0).contains(&st.salience)) {
            p.push(
                at.key("salience"),
                format!(
                    "salience {} is outside [0, 1]: expected a number from 0 (indifferent) to 1 (all that matters)",
                    st.salience
                ),
            );
        }
    }
    for (i, is) in inp.issues.iter().enumerate() {
        let n = per_issue.get(is.id.as_str()).map_or(0, |s| s.len());
        if n < 2 {
            p.push(
                root.key("issue").index(i).key("id"),
                format!(
                    "issue `{}` has stances from {n} actor(s): expected at least 2 [[stance]] entries on it",
                    is.id
                ),
            );
        }
    }

    // Sections.
    if let Some(c) = &inp.conflict {
        c.validate(&root.key("conflict"), &refs, &mut p);
    }
    crate::sections::institution::validate_all(&inp.institutions, &root, &mut p);
    for (i, inst) in inp.institutions.iter().enumerate() {
        inst.validate(&root.key("institution").index(i), &refs, &mut p);
    }
    if let Some(b) = &inp.bargaining {
        b.validate(&root.key("bargaining"), &refs, &mut p);
    }

    // History.
    for (i, ev) in s.events.iter().enumerate() {
        let at = root.key("event").index(i);
        check_date(&ev.date, at.key("date"), &mut p);
        if let Some(end) = &ev.end {
            if check_date(end, at.key("end"), &mut p) && parse_date(end) < parse_date(&ev.date) {
                p.push(
                    at.key("end"),
                    format!("end date {end} is before the start date {}", ev.date),
                );
            }
        }
        for (j, a) in ev.actors.iter().enumerate() {
            refs.check_actor(a, at.key("actors").index(j), &mut p);
        }
        if let Some(issue) = &ev.issue {
            if refs.check_issue(issue, at.key("issue"), &mut p) {
                if let (Some(x), Some(is)) = (ev.position, inp.issue(issue)) {
                    check_in_range(x, is, at.key("position"), "position", &mut p);
                }
            }
        } else if ev.position.is_some() {
            p.push(
                at.key("position"),
                "a position needs an `issue` naming the scale it is on",
            );
        }
        if ev.tally.is_some() && ev.body.is_none() {
            p.push(
                at.key("tally"),
                "a tally needs a `body` naming who voted (an institution id or a name)",
            );
        }
    }

    // Outcome.
    if let Some(o) = &s.outcome {
        let at = root.key("outcome");
        if let Some(d) = &o.date {
            check_date(d, at.key("date"), &mut p);
        }
        let mut seen = std::collections::BTreeMap::<&str, usize>::new();
        for (i, r) in o.results.iter().enumerate() {
            let rat = at.key("result").index(i);
            if refs.check_issue(&r.issue, rat.key("issue"), &mut p) {
                if let Some(is) = inp.issue(&r.issue) {
                    check_in_range(r.value, is, rat.key("value"), "outcome value", &mut p);
                }
            }
            if let Some(first) = seen.insert(r.issue.as_str(), i) {
                p.push(
                    rat.key("issue"),
                    format!(
                        "duplicate outcome for issue `{}`: already given at result[{first}]",
                        r.issue
                    ),
                );
            }
        }
    }
    p
}

fn check_in_range(x: f64, is: &crate::Issue, at: Path, what: &str, p: &mut Problems) {
    if !(x.is_finite() && x >= is.min && x <= is.max) {
        p.push(
            at,
            format!(
                "{what} {x} is outside the scale of issue `{}`: expected a number in [{}, {}]",
                is.id, is.min, is.max
            ),
        );
    }
}

/// Ids: non-empty, letters, digits, `-`, `_`, `.` only.
fn check_id(id: &str, at: Path, what: &str, p: &mut Problems) {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == '.');
    if !ok {
        p.push(
            at,
            format!("{what} id `{id}` is invalid: expected a non-empty id of letters, digits, `-`, `_` or `.`"),
        );
    }
}

/// Dates: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a real month and day.
pub fn check_date(d: &str, at: Path, p: &mut Problems) -> bool {
    if parse_date(d).is_some() {
        true
    } else {
        p.push(
            at,
            format!("date `{d}` is invalid: expected YYYY, YYYY-MM or YYYY-MM-DD"),
        );
        false
    }
}

/// Parses `YYYY[-MM[-DD]]` into (year, month, day), missing parts as 0.
pub fn parse_date(d: &str) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = d.split('-').collect();
    let num = |s: &str, len: usize| -> Option<u32> {
        if s.len() == len && s.chars().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let y = num(parts.first()?, 4)? as i32;
    let m = match parts.get(1) {
        Some(s) => num(s, 2).filter(|m| (1..=12).contains(m))?,
        None => 0,
    };
    let day = match parts.get(2) {
        Some(s) => {
            let dd = num(s, 2)?;
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let max = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                _ => 28,
            };
            if dd == 0 || dd > max {
                return None;
            }
            dd
        }
        None => 0,
    };
    if parts.len() > 3 {
        return None;
    }
    Some((y, m, day))
}
