//! Validation primitives shared by the core format and every section module:
//! a [`Path`] into the document, a list of [`Problems`] found at paths, and
//! [`Refs`], the ids a section may refer to.
//!
//! Semantic checks speak in paths (`stance[3].position`); the loader turns a
//! path into a file line and column (TOML) or keeps it as a JSON path.

use std::collections::BTreeSet;
use std::fmt;

use crate::dated::DateKey;
use crate::uncertain;

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
                    "unknown actor `{id}`{}: expected one of the ids declared in [[actor]] ({})",
                    negotium_suggest::did_you_mean(id, self.actors.iter().map(String::as_str)),
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
                    "unknown issue `{id}`{}: expected one of the ids declared in [[issue]] ({})",
                    negotium_suggest::did_you_mean(id, self.issues.iter().map(String::as_str)),
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

/// A number as a message shows it: plain when short, in exponent form when
/// very large or very small (so `1e300` is not printed as 301 digits).
pub fn show(x: f64) -> String {
    let a = x.abs();
    if x.is_finite() && a != 0.0 && !(1e-6..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Largest capability accepted. Only ratios of capabilities matter to the
/// models, so the cap costs nothing; it keeps sums and products of
/// capabilities, saliences and distances far from overflow (KTAB's own
/// route caps capability at 1e8).
pub const MAX_CAPABILITY: f64 = 1e15;

/// Largest magnitude of an issue's `min` and `max`: positions lie on the
/// scale, so squared distances stay far from overflow.
pub const MAX_SCALE: f64 = 1e15;

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

    // Actors, as written (capabilities from the start).
    let tl = &s.timeline;
    check_unique(
        tl.actors.iter().map(|a| a.id.as_str()),
        "actor",
        |i| root.key("actor").index(i).key("id"),
        &mut p,
    );
    for (i, a) in tl.actors.iter().enumerate() {
        let at = root.key("actor").index(i);
        check_id(&a.id, at.key("id"), "actor", &mut p);
        check_capability(a.capability, &a.id, at.key("capability"), &mut p);
        if let Some(r) = a.capability_range {
            uncertain::check_range(
                r,
                a.capability,
                (0.0, MAX_CAPABILITY),
                &format!("the capabilities allowed [0, {MAX_CAPABILITY:e}]"),
                at.key("capability_range"),
                ("capability_range", "capability"),
                &mut p,
            );
        }
        uncertain::check_distribution(
            a.distribution,
            a.capability_range.is_some(),
            "capability_range",
            at.key("distribution"),
            &mut p,
        );
    }
    if tl.actors.len() < 2 {
        p.push(
            root.key("actor"),
            format!(
                "a scenario needs at least 2 [[actor]] entries, found {}",
                tl.actors.len()
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
                    is.id,
                    show(is.min),
                    show(is.max)
                ),
            );
            continue;
        }
        if is.min.abs().max(is.max.abs()) > MAX_SCALE {
            let key = if is.min.abs() > MAX_SCALE {
                "min"
            } else {
                "max"
            };
            p.push(
                at.key(key),
                format!(
                    "issue `{}` has min {} and max {}: expected a scale within [-{MAX_SCALE:e}, {MAX_SCALE:e}]",
                    is.id,
                    show(is.min),
                    show(is.max)
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
        actors: tl.actors.iter().map(|a| a.id.clone()).collect(),
        issues: inp.issues.iter().map(|x| x.id.clone()).collect(),
    };

    // Event ids, which dated stances and capabilities refer to.
    let event_ids: BTreeSet<&str> = s.events.iter().filter_map(|e| e.id.as_deref()).collect();
    let ids: Vec<(usize, &str)> = s
        .events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.id.as_deref().map(|id| (i, id)))
        .collect();
    check_unique(
        ids.iter().map(|x| x.1),
        "event",
        |k| root.key("event").index(ids[k].0).key("id"),
        &mut p,
    );
    for (i, id) in &ids {
        check_id(id, root.key("event").index(*i).key("id"), "event", &mut p);
    }
    let check_event = |id: &Option<String>, at: Path, p: &mut Problems| {
        if let Some(id) = id {
            if !event_ids.contains(id.as_str()) {
                p.push(
                    at,
                    format!(
                        "unknown event `{id}`: expected one of the ids given in [[event]] ({})",
                        if event_ids.is_empty() {
                            "none has an `id`".to_string()
                        } else {
                            join_ids(&event_ids.iter().map(|x| x.to_string()).collect())
                        }
                    ),
                );
            }
        }
    };
    // Dated entries need a default date to read the inputs at.
    let first_dated = tl
        .stances
        .iter()
        .position(|st| st.from.is_some())
        .map(|i| root.key("stance").index(i).key("from"))
        .or_else(|| {
            (!tl.capabilities.is_empty()).then(|| root.key("capability").index(0).key("from"))
        });
    if let (Some(at), None) = (first_dated, &s.scenario.as_of) {
        p.push(
            at,
            "a dated stance or capability needs `as_of` in [scenario]: the date at which the inputs are read by default",
        );
    }

    // Stances, as written (dated or not).
    let mut seen_pairs = std::collections::BTreeMap::<(&str, &str, Option<DateKey>), usize>::new();
    for (i, st) in tl.stances.iter().enumerate() {
        let at = root.key("stance").index(i);
        refs.check_actor(&st.actor, at.key("actor"), &mut p);
        let issue_ok = refs.check_issue(&st.issue, at.key("issue"), &mut p);
        let key = match &st.from {
            None => Some(None),
            Some(d) => check_day(d, at.key("from"), &mut p).map(Some),
        };
        if let Some(key) = key {
            if let Some(first) = seen_pairs.insert((st.actor.as_str(), st.issue.as_str(), key), i) {
                p.push(
                    if key.is_some() { at.key("from") } else { at.key("actor") },
                    match &st.from {
                        None => format!(
                            "duplicate stance of actor `{}` on issue `{}`: already given at stance[{first}] (give the later one a `from` date)",
                            st.actor, st.issue
                        ),
                        Some(d) => format!(
                            "duplicate stance of actor `{}` on issue `{}` from {d}: already given at stance[{first}]; one stance per actor, issue and date",
                            st.actor, st.issue
                        ),
                    },
                );
            }
        }
        check_event(&st.event, at.key("event"), &mut p);
        if issue_ok {
            if let Some(is) = inp.issue(&st.issue) {
                if is.min < is.max {
                    check_in_range(st.position, is, at.key("position"), "position", &mut p);
                }
            }
        }
        if !(st.salience.is_finite() && (0.0..=1.0).contains(&st.salience)) {
            p.push(
                at.key("salience"),
                format!(
                    "salience {} is outside [0, 1]: expected a number from 0 (indifferent) to 1 (all that matters)",
                    show(st.salience)
                ),
            );
        }
        if let (Some(r), Some(is)) = (st.position_range, inp.issue(&st.issue)) {
            if is.min < is.max {
                uncertain::check_range(
                    r,
                    st.position,
                    (is.min, is.max),
                    &format!(
                        "the scale of issue `{}` [{}, {}]",
                        is.id,
                        show(is.min),
                        show(is.max)
                    ),
                    at.key("position_range"),
                    ("position_range", "position"),
                    &mut p,
                );
            }
        }
        if let Some(r) = st.salience_range {
            uncertain::check_range(
                r,
                st.salience,
                (0.0, 1.0),
                "the salience scale [0, 1]",
                at.key("salience_range"),
                ("salience_range", "salience"),
                &mut p,
            );
        }
        uncertain::check_distribution(
            st.distribution,
            st.position_range.is_some() || st.salience_range.is_some(),
            "position_range or salience_range",
            at.key("distribution"),
            &mut p,
        );
    }
    // Capability changes.
    let mut seen_caps = std::collections::BTreeMap::<(&str, DateKey), usize>::new();
    for (i, c) in tl.capabilities.iter().enumerate() {
        let at = root.key("capability").index(i);
        refs.check_actor(&c.actor, at.key("actor"), &mut p);
        if let Some(k) = check_day(&c.from, at.key("from"), &mut p) {
            if let Some(first) = seen_caps.insert((c.actor.as_str(), k), i) {
                p.push(
                    at.key("from"),
                    format!(
                        "duplicate capability of actor `{}` from {}: already given at capability[{first}]",
                        c.actor, c.from
                    ),
                );
            }
        }
        check_capability(c.capability, &c.actor, at.key("capability"), &mut p);
        check_event(&c.event, at.key("event"), &mut p);
    }

    // Every issue needs two actors with a stance in force at the default date.
    let mut per_issue = std::collections::BTreeMap::<&str, BTreeSet<&str>>::new();
    for st in &inp.stances {
        if refs.actors.contains(&st.actor) {
            per_issue
                .entry(st.issue.as_str())
                .or_default()
                .insert(st.actor.as_str());
        }
    }
    let when = match (&s.scenario.as_of, tl.is_dated()) {
        (Some(d), true) => format!(" in force on {d} (the scenario's as_of)"),
        _ => String::new(),
    };
    for (i, is) in inp.issues.iter().enumerate() {
        let n = per_issue.get(is.id.as_str()).map_or(0, |s| s.len());
        if n < 2 {
            p.push(
                root.key("issue").index(i).key("id"),
                format!(
                    "issue `{}` has stances from {n} actor(s){when}: expected at least 2 [[stance]] entries on it",
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
        // A value's `at` lies on its core issue's scale.
        for (i, bi) in b.issues.iter().enumerate() {
            let Some(core) = inp.issues.iter().find(|c| c.id == bi.id) else {
                continue;
            };
            for (k, x) in bi.at.iter().enumerate() {
                if x.is_finite() && !(core.min <= *x && *x <= core.max) {
                    p.push(
                        root.key("bargaining")
                            .key("issue")
                            .index(i)
                            .key("at")
                            .index(k),
                        format!(
                            "{x} lies outside issue `{}`'s scale; expected {} to {}",
                            bi.id, core.min, core.max
                        ),
                    );
                }
            }
        }
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

/// A capability: finite, ≥ 0, at most [`MAX_CAPABILITY`].
fn check_capability(c: f64, actor: &str, at: Path, p: &mut Problems) {
    if !(c.is_finite() && c >= 0.0) {
        p.push(
            at,
            format!(
                "capability {} of actor `{actor}` is invalid: expected a finite number ≥ 0",
                show(c)
            ),
        );
    } else if c > MAX_CAPABILITY {
        p.push(
            at,
            format!(
                "capability {} of actor `{actor}` is too large: expected at most {MAX_CAPABILITY:e} (only ratios matter: divide every capability by the same number)",
                show(c)
            ),
        );
    }
}

/// A `from` date: a full `YYYY-MM-DD` day.
fn check_day(d: &str, at: Path, p: &mut Problems) -> Option<DateKey> {
    let k = crate::dated::parse_day(d);
    if k.is_none() {
        p.push(
            at,
            format!("date `{d}` is invalid: expected YYYY-MM-DD (the first day it holds)"),
        );
    }
    k
}

fn check_in_range(x: f64, is: &crate::Issue, at: Path, what: &str, p: &mut Problems) {
    if !(x.is_finite() && x >= is.min && x <= is.max) {
        p.push(
            at,
            format!(
                "{what} {} is outside the scale of issue `{}`: expected a number in [{}, {}]",
                show(x),
                is.id,
                show(is.min),
                show(is.max)
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
