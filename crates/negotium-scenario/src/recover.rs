//! Every structural problem of a file that does not deserialize, not just
//! serde's first: syntax errors (TOML's parser recovers and lists them all),
//! then unknown, missing and mistyped fields, read section by section and
//! element by element. An unknown key is reported, dropped and its element
//! read again, so that one run lists every one; when unknown keys were the
//! only problems, the repaired scenario is returned so that the semantic
//! checks run as well (they cannot be misled by a key serde would refuse).

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;
use crate::model::{Actor, Event, Issue, Meta, Outcome, Scenario, Stance};
use crate::sections::{
    bargaining::BargainingSection, conflict::ConflictSection, institution::InstitutionSection,
};
use crate::validate::{Path, Seg};

/// What a structural pass found.
pub(crate) struct Recovered {
    /// Located problems, in file order for TOML.
    pub diagnostics: Vec<Diagnostic>,
    /// The scenario read without its unknown keys, when they were the only
    /// problems (so the semantic checks can run on it).
    pub repaired: Option<Scenario>,
}

/// The top-level keys of a scenario file, and whether each holds an array
/// of tables (`[[actor]]`) or one table (`[scenario]`).
const SECTIONS: [(&str, bool); 9] = [
    ("scenario", false),
    ("actor", true),
    ("issue", true),
    ("stance", true),
    ("conflict", false),
    ("institution", true),
    ("bargaining", false),
    ("event", true),
    ("outcome", false),
];

/// One structural problem: where (a path and, in TOML, a byte span) and what.
struct Found {
    path: Path,
    span: Option<std::ops::Range<usize>>,
    message: String,
    /// An unknown key (`Some(key)`, at `path`'s table): dropping it repairs the element.
    unknown_key: Option<String>,
}

/// A parsed document whose elements can be read one at a time as typed
/// values and repaired by dropping keys.
trait Tree: Clone {
    /// Reads the value as `T`; the error's path is relative to the value.
    fn read<T: DeserializeOwned>(&self) -> Result<T, Found>;
    /// The table at `path` under this value, for dropping a key.
    fn remove_key(&mut self, path: &[Seg], key: &str) -> bool;
    /// Renames `from` to `to` in the table at `path`, unless `to` is there.
    fn rename_key(&mut self, path: &[Seg], from: &str, to: &str) -> bool;
    /// The elements, when the value is an array.
    fn elements_mut(&mut self) -> Option<Vec<&mut Self>>;
    /// The span of the value in the file (TOML only).
    fn span(&self) -> Option<std::ops::Range<usize>>;
}

fn path_of(p: &serde_path_to_error::Path) -> Vec<Seg> {
    p.iter()
        .filter_map(|s| match s {
            serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
            serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
            _ => None,
        })
        .collect()
}

/// The key named by serde's "unknown field `k`, expected …".
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

/// The path a serde error names may end with the unknown key itself; the
/// table holding it is what a repair edits.
fn table_path(mut path: Vec<Seg>, key: &str) -> Vec<Seg> {
    if path.last() == Some(&Seg::Key(key.to_string())) {
        path.pop();
    }
    path
}

fn found(path: Vec<Seg>, span: Option<std::ops::Range<usize>>, message: String) -> Found {
    let message = message.trim().to_string();
    let unknown_key = unknown_field(&message);
    let path = match &unknown_key {
        Some(k) => table_path(path, k),
        None => path,
    };
    Found {
        path: Path(path),
        span,
        message,
        unknown_key,
    }
}

/// The value at `path` under `v` (TOML).
fn toml_at<'a, 'i>(
    mut v: &'a mut toml::Spanned<toml::de::DeValue<'i>>,
    path: &[Seg],
) -> Option<&'a mut toml::Spanned<toml::de::DeValue<'i>>> {
    use toml::de::DeValue;
    for seg in path {
        v = match (seg, v.get_mut()) {
            (Seg::Key(k), DeValue::Table(t)) => t.get_mut(k.as_str())?,
            (Seg::Index(i), DeValue::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

impl<'i> Tree for toml::Spanned<toml::de::DeValue<'i>> {
    fn read<T: DeserializeOwned>(&self) -> Result<T, Found> {
        let de = toml::de::ValueDeserializer::from(self.clone());
        serde_path_to_error::deserialize(de).map_err(|e| {
            let path = path_of(e.path());
            let inner = e.into_inner();
            found(path, inner.span(), inner.message().to_string())
        })
    }
    fn rename_key(&mut self, path: &[Seg], from: &str, to: &str) -> bool {
        use toml::de::DeValue;
        let Some(v) = toml_at(self, path) else {
            return false;
        };
        let DeValue::Table(t) = v.get_mut() else {
            return false;
        };
        if t.contains_key(to) {
            return false;
        }
        let Some((k, value)) = t.remove_entry(from) else {
            return false;
        };
        t.insert(toml::Spanned::new(k.span(), to.to_string().into()), value);
        true
    }
    fn remove_key(&mut self, path: &[Seg], key: &str) -> bool {
        use toml::de::DeValue;
        let mut v = self;
        for seg in path {
            let next = match (seg, v.get_mut()) {
                (Seg::Key(k), DeValue::Table(t)) => t.get_mut(k.as_str()),
                (Seg::Index(i), DeValue::Array(a)) => a.get_mut(*i),
                _ => None,
            };
            match next {
                Some(n) => v = n,
                None => return false,
            }
        }
        match v.get_mut() {
            DeValue::Table(t) => t.remove(key).is_some(),
            _ => false,
        }
    }
    fn elements_mut(&mut self) -> Option<Vec<&mut Self>> {
        match self.get_mut() {
            toml::de::DeValue::Array(a) => Some(a.iter_mut().collect()),
            _ => None,
        }
    }
    fn span(&self) -> Option<std::ops::Range<usize>> {
        Some(toml::Spanned::span(self))
    }
}

impl Tree for serde_json::Value {
    fn read<T: DeserializeOwned>(&self) -> Result<T, Found> {
        serde_path_to_error::deserialize(self.clone()).map_err(|e| {
            let path = path_of(e.path());
            found(path, None, e.into_inner().to_string())
        })
    }
    fn rename_key(&mut self, path: &[Seg], from: &str, to: &str) -> bool {
        let mut v = self;
        for seg in path {
            let next = match seg {
                Seg::Key(k) => v.get_mut(k.as_str()),
                Seg::Index(i) => v.get_mut(*i),
            };
            match next {
                Some(n) => v = n,
                None => return false,
            }
        }
        let Some(o) = v.as_object_mut() else {
            return false;
        };
        if o.contains_key(to) {
            return false;
        }
        match o.remove(from) {
            Some(x) => {
                o.insert(to.to_string(), x);
                true
            }
            None => false,
        }
    }
    fn remove_key(&mut self, path: &[Seg], key: &str) -> bool {
        let mut v = self;
        for seg in path {
            let next = match seg {
                Seg::Key(k) => v.get_mut(k.as_str()),
                Seg::Index(i) => v.get_mut(*i),
            };
            match next {
                Some(n) => v = n,
                None => return false,
            }
        }
        v.as_object_mut().is_some_and(|o| o.remove(key).is_some())
    }
    fn elements_mut(&mut self) -> Option<Vec<&mut Self>> {
        self.as_array_mut().map(|a| a.iter_mut().collect())
    }
    fn span(&self) -> Option<std::ops::Range<usize>> {
        None
    }
}

/// Reads one element as `T`, dropping each key it objects to and reading it
/// again, so that every unknown or mistyped key is found; every problem is
/// pushed with `at` prefixed to its path. Returns whether the element is
/// sound once its unknown keys are dropped.
fn element<T: DeserializeOwned, V: Tree>(v: &mut V, at: &Path, out: &mut Vec<Found>) -> bool {
    let mut sound = true;
    // Keys dropped for a bad value: their "missing field" is no news.
    let mut dropped: Vec<(Vec<Seg>, String)> = Vec::new();
    // Each round drops one key, so this ends; the bound is a second guard.
    for _ in 0..10_000 {
        let mut f = match v.read::<T>() {
            Ok(_) => return sound,
            Err(f) => f,
        };
        let rel = f.path.0.clone();
        if let Some(k) = f.message.strip_prefix("missing field `") {
            let k = k.split('`').next().unwrap_or("");
            if dropped.iter().any(|(p, d)| *p == rel && d == k) {
                return false;
            }
        }
        f.path = Path(at.0.iter().chain(&rel).cloned().collect());
        if f.span.is_none() {
            f.span = v.span();
        }
        // What to drop: an unknown key from its table, or a mistyped value's key.
        let drop = match (&f.unknown_key, rel.split_last()) {
            (Some(k), _) => Some((rel.clone(), k.clone())),
            (None, Some((Seg::Key(k), table))) => Some((table.to_vec(), k.clone())),
            _ => None,
        };
        let unknown = f.unknown_key.is_some();
        // A misspelt key is read under the name it is nearest to, so the
        // checks of its value (and of the whole scenario) still run.
        let rename = match (&f.unknown_key, f.message.split_once(", expected ")) {
            (Some(k), Some((_, expected))) => {
                negotium_suggest::closest(k, expected.split('`').skip(1).step_by(2))
                    .map(str::to_string)
            }
            _ => None,
        };
        out.push(f);
        if let (Some(to), Some((table, k))) = (&rename, &drop) {
            if v.rename_key(table, k, to) {
                continue;
            }
        }
        match drop {
            Some((table, k)) if v.remove_key(&table, &k) => {
                if !unknown {
                    sound = false;
                    dropped.push((table, k));
                }
            }
            _ => return false,
        }
    }
    false
}

fn section<V: Tree>(key: &str, v: &mut V, out: &mut Vec<Found>) -> bool {
    let at = Path::root().key(key);
    let one = |v: &mut V, at: &Path, out: &mut Vec<Found>| match key {
        "scenario" => element::<Meta, V>(v, at, out),
        "actor" => element::<Actor, V>(v, at, out),
        "issue" => element::<Issue, V>(v, at, out),
        "stance" => element::<Stance, V>(v, at, out),
        "conflict" => element::<ConflictSection, V>(v, at, out),
        "institution" => element::<InstitutionSection, V>(v, at, out),
        "bargaining" => element::<BargainingSection, V>(v, at, out),
        "event" => element::<Event, V>(v, at, out),
        _ => element::<Outcome, V>(v, at, out),
    };
    let many = SECTIONS.iter().any(|(k, m)| *k == key && *m);
    if !many {
        return one(v, &at, out);
    }
    let span = v.span();
    match v.elements_mut() {
        Some(items) => {
            let mut sound = true;
            for (i, item) in items.into_iter().enumerate() {
                sound &= one(item, &at.index(i), out);
            }
            sound
        }
        None => {
            out.push(Found {
                path: at,
                span,
                message: format!("`{key}` must be an array of tables ([[{key}]])"),
                unknown_key: None,
            });
            false
        }
    }
}

fn expected_keys() -> String {
    SECTIONS
        .iter()
        .map(|(k, _)| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks every section of a root table given as (key, key span, value).
fn sections<V: Tree>(
    root: Vec<(String, Option<std::ops::Range<usize>>, &mut V)>,
    out: &mut Vec<Found>,
) -> bool {
    let mut sound = true;
    if !root.iter().any(|(k, _, _)| k == "scenario") {
        out.push(Found {
            path: Path::root(),
            span: Some(0..0),
            message: "missing field `scenario`".into(),
            unknown_key: None,
        });
        sound = false;
    }
    for (k, kspan, v) in root {
        if SECTIONS.iter().any(|(s, _)| *s == k) {
            sound &= section(&k, v, out);
        } else {
            out.push(Found {
                path: Path::root().key(&k),
                span: kspan,
                message: format!("unknown field `{k}`, expected one of {}", expected_keys()),
                unknown_key: Some(k.clone()),
            });
        }
    }
    sound
}

/// Drops "missing field `k`" where an unknown key of the same table is a
/// near miss of `k`: the key was misspelt, and its message (with "did you
/// mean `k`?") already says so, at the key's own line.
fn drop_misspelt_missing(found: &mut Vec<Found>) {
    let renamed: Vec<(Path, String)> = found
        .iter()
        .filter_map(|f| {
            let key = f.unknown_key.as_ref()?;
            let (_, expected) = f.message.split_once(", expected ")?;
            let names = expected.split('`').skip(1).step_by(2);
            Some((
                f.path.clone(),
                negotium_suggest::closest(key, names)?.to_string(),
            ))
        })
        .collect();
    found.retain(|f| {
        let missing = f
            .message
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next());
        !missing.is_some_and(|m| renamed.iter().any(|(p, k)| *p == f.path && k == m))
    });
}

fn diagnostic(src: &str, file: &str, f: Found) -> Diagnostic {
    let (line, column) = match &f.span {
        Some(s) => {
            let (l, c) = crate::load::line_col(src, s.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    // An unknown key is named in the path (`actor[0].power`).
    let mut path = f.path;
    if let Some(k) = &f.unknown_key {
        if path.0.last() != Some(&Seg::Key(k.clone())) {
            path = path.key(k);
        }
    }
    let f = Found { path, ..f };
    Diagnostic {
        file: file.to_string(),
        line,
        column,
        path: if f.path.0.is_empty() {
            None
        } else if f.span.is_some() {
            Some(f.path.to_string())
        } else {
            Some(f.path.json_path())
        },
        message: crate::load::tidy_serde_message(&f.message),
    }
}

/// Every syntax or structural problem of a TOML file that did not deserialize.
pub(crate) fn toml(src: &str, file: &str) -> Recovered {
    use toml::de::{DeTable, DeValue};
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        let diagnostics = errors
            .iter()
            .map(|e| {
                let (line, column) = match e.span() {
                    Some(r) => {
                        let (l, c) = crate::load::line_col(src, r.start);
                        (Some(l), Some(c))
                    }
                    None => (None, None),
                };
                Diagnostic {
                    file: file.to_string(),
                    line,
                    column,
                    path: None,
                    message: crate::load::tidy_serde_message(e.message()),
                }
            })
            .collect();
        return Recovered {
            diagnostics,
            repaired: None,
        };
    }
    let span = doc.span();
    let mut table = doc.into_inner();
    let mut found = Vec::new();
    let keys: Vec<(String, std::ops::Range<usize>)> = table
        .keys()
        .map(|k| (k.get_ref().to_string(), k.span()))
        .collect();
    let mut values: Vec<(String, Option<std::ops::Range<usize>>, _)> = keys
        .iter()
        .filter_map(|(k, s)| Some((k.clone(), Some(s.clone()), table.remove(k.as_str())?)))
        .collect();
    let sound = sections(
        values
            .iter_mut()
            .map(|(k, s, v)| (k.clone(), s.clone(), v))
            .collect(),
        &mut found,
    );
    let repaired = if sound {
        let mut root = toml::de::DeTable::new();
        for (k, s, v) in values {
            if SECTIONS.iter().any(|(x, _)| *x == k) {
                root.insert(toml::Spanned::new(s.unwrap_or(0..0), k.into()), v);
            }
        }
        let root = toml::Spanned::new(span, DeValue::Table(root));
        root.read::<Scenario>().ok()
    } else {
        None
    };
    drop_misspelt_missing(&mut found);
    let mut diagnostics: Vec<Diagnostic> = found
        .into_iter()
        .map(|f| diagnostic(src, file, f))
        .collect();
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Recovered {
        diagnostics,
        repaired,
    }
}

/// Every structural problem of a JSON file whose syntax is sound but which
/// did not deserialize (JSON paths; the streaming parser's first error,
/// which carries a line and column, is reported by the caller).
pub(crate) fn json(src: &str, file: &str) -> Option<Recovered> {
    let value: serde_json::Value = serde_json::from_str(src).ok()?;
    let serde_json::Value::Object(map) = value else {
        return None;
    };
    let mut values: Vec<(String, Option<std::ops::Range<usize>>, serde_json::Value)> =
        map.into_iter().map(|(k, v)| (k, None, v)).collect();
    let mut found = Vec::new();
    let sound = sections(
        values
            .iter_mut()
            .map(|(k, s, v)| (k.clone(), s.clone(), v))
            .collect(),
        &mut found,
    );
    let repaired = if sound {
        let root: serde_json::Map<String, serde_json::Value> = values
            .into_iter()
            .filter(|(k, _, _)| SECTIONS.iter().any(|(x, _)| x == k))
            .map(|(k, _, v)| (k, v))
            .collect();
        serde_json::Value::Object(root).read::<Scenario>().ok()
    } else {
        None
    };
    drop_misspelt_missing(&mut found);
    Some(Recovered {
        diagnostics: found
            .into_iter()
            .map(|f| diagnostic(src, file, f))
            .collect(),
        repaired,
    })
}
