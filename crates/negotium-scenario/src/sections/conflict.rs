//! The `[conflict]` section: a Graph Model for Conflict Resolution description
//! (decision makers, options, infeasible states, preferences), its validation
//! at document paths, and its mapping onto `negotium_conflict::ConflictSpec`.
//!
//! ```toml
//! [conflict]
//! status_quo = "!udi & !recognise"
//! [[conflict.dm]]
//! id = "SRB"
//! actor = "SRB"
//! preferences = ["!udi", { statement = "!force", notes = "why" }]
//! [[conflict.option]]
//! id = "udi"
//! dm = "KOS"
//! reversible = "take-only"
//! [[conflict.infeasible]]
//! exclusive = ["udi", "autonomy"]
//! ```

use negotium_conflict::formula::{parse, OptionNames};
use negotium_conflict::{
    Conflict, ConflictError, ConflictSpec, DmSpec, Formula, OptionSpec, Preferences, Reversibility,
};
use serde::{Deserialize, Serialize};

use crate::uncertain::check_weights;
use crate::validate::{check_unique, Path, Problems, Refs};

/// `[conflict]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConflictSection {
    /// Rationale, sources and modelling choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// `[[conflict.dm]]`: decision makers, in GMCR order.
    #[serde(default, rename = "dm")]
    pub dms: Vec<ConflictDm>,
    /// `[[conflict.option]]`: binary options (grouped by DM for numbering).
    #[serde(default, rename = "option")]
    pub options: Vec<ConflictOption>,
    /// `[[conflict.infeasible]]`: states removed from the model.
    #[serde(default, rename = "infeasible", skip_serializing_if = "Vec::is_empty")]
    pub infeasible: Vec<Infeasible>,
    /// A formula naming exactly one feasible state: where the conflict starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_quo: Option<String>,
    /// A formula naming exactly one feasible state: the state reached
    /// historically (reported, never used to set preferences).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub historical: Option<String>,
}

/// `[[conflict.dm]]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConflictDm {
    /// Id used by options (`dm = "SRB"`).
    pub id: String,
    /// The scenario actor this DM stands for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Display name (default: the id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Prioritised preference statements, most important first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferences: Vec<Statement>,
    /// Direct ranking instead of statements: state numbers, best first;
    /// an inner array is a tie group (`[1, [3, 4], 2]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Vec<RankEntry>>,
    /// Formulas for states this DM does not perceive.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub misperceived: Vec<String>,
    /// Uncertainty: other preferences this DM may hold, each with its
    /// probability; the stated `preferences`/`ranking` take the weight left
    /// over (drawn by `negotium sweep`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<PreferenceAlternative>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `alternatives = [{ weight = 0.3, preferences = […] }, { weight = 0.1, ranking = […] }]`:
/// preferences a DM may hold instead of its stated ones, with a probability.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PreferenceAlternative {
    /// Probability of this alternative, in (0, 1].
    pub weight: f64,
    /// Prioritised statements, as in `preferences`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferences: Vec<Statement>,
    /// Or a direct ranking, as in `ranking`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<Vec<RankEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A preference statement: a formula, optionally with its rationale.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Statement {
    Text(String),
    Noted {
        statement: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notes: Option<String>,
    },
}

impl Statement {
    pub fn text(&self) -> &str {
        match self {
            Statement::Text(s) => s,
            Statement::Noted { statement, .. } => statement,
        }
    }
}

/// One place of a direct ranking: a state number or a tie group.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RankEntry {
    One(usize),
    Tie(Vec<usize>),
}

/// How an option may be changed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Reversible {
    #[default]
    Both,
    /// Once taken it cannot be undone.
    TakeOnly,
    /// Once dropped it cannot be resumed.
    DropOnly,
}

/// `[[conflict.option]]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConflictOption {
    /// Id used in formulas: letters, digits, `_` and `.`.
    pub id: String,
    /// The controlling DM's id.
    pub dm: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "is_both")]
    pub reversible: Reversible,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

fn is_both(r: &Reversible) -> bool {
    *r == Reversible::Both
}

/// `[[conflict.infeasible]]`: exactly one of `when`, `exclusive`, `at_least_one`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Infeasible {
    /// Every state satisfying this formula is removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// At most one of these options may be taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive: Option<Vec<String>>,
    /// At least one of these options must be taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least_one: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The section mapped onto the engine, with its named states resolved.
#[derive(Debug, Clone)]
pub struct ConflictInput {
    pub spec: ConflictSpec,
    pub status_quo: Option<Formula>,
    pub historical: Option<Formula>,
    /// Per DM (in `spec.dms` order): its declared alternative preferences
    /// with their probabilities (empty when none).
    pub alternatives: Vec<Vec<(f64, Preferences)>>,
}

impl ConflictInput {
    /// Whether any DM declares alternative preferences.
    pub fn is_uncertain(&self) -> bool {
        self.alternatives.iter().any(|a| !a.is_empty())
    }

    /// The spec with DM `i`'s preferences replaced by its alternative `k`
    /// (1-based; 0 = the stated preferences) for every DM.
    pub fn with_choices(&self, choice: &[usize]) -> ConflictSpec {
        let mut spec = self.spec.clone();
        for (i, &k) in choice.iter().enumerate() {
            if k > 0 {
                spec.dms[i].preferences = self.alternatives[i][k - 1].1.clone();
            }
        }
        spec
    }
}

/// Largest model that validation builds to check rankings and named states.
const VALIDATE_BUILD_MAX_OPTIONS: usize = 20;

impl ConflictSection {
    /// Semantic checks; `at` is the path of the section (`conflict`).
    pub fn validate(&self, at: &Path, refs: &Refs, problems: &mut Problems) {
        let before = problems.len();
        let input = self.compile(at, Some(refs), problems);
        if problems.len() > before {
            return;
        }
        let Some(input) = input else { return };
        if input.spec.options.len() > VALIDATE_BUILD_MAX_OPTIONS {
            return;
        }
        match Conflict::build(&input.spec) {
            Ok(c) => {
                for (key, f) in [
                    ("status_quo", &input.status_quo),
                    ("historical", &input.historical),
                ] {
                    if let Some(f) = f {
                        let n = c.states_matching(f).len();
                        if n != 1 {
                            problems.push(
                                at.key(key),
                                format!("names {n} feasible states; expected a formula that fixes every option of exactly one feasible state"),
                            );
                        }
                    }
                }
            }
            Err(ConflictError::Ranking { dm, message }) => {
                let i = self
                    .dms
                    .iter()
                    .position(|d| d.name.as_deref().unwrap_or(&d.id) == dm)
                    .unwrap_or(0);
                problems.push(at.key("dm").index(i).key("ranking"), message);
            }
            Err(e) => problems.push(at.clone(), e.to_string()),
        }
        // Each alternative ranking must rank the feasible states as the
        // stated one does.
        for (i, alts) in input.alternatives.iter().enumerate() {
            for (k, _) in alts.iter().enumerate() {
                let mut choice = vec![0; input.alternatives.len()];
                choice[i] = k + 1;
                if let Err(ConflictError::Ranking { message, .. }) =
                    Conflict::build(&input.with_choices(&choice))
                {
                    problems.push(
                        at.key("dm")
                            .index(i)
                            .key("alternatives")
                            .index(k)
                            .key("ranking"),
                        message,
                    );
                }
            }
        }
    }

    /// Maps a validated section onto the engine's input.
    pub fn to_input(&self) -> Result<ConflictInput, String> {
        let mut p = Problems::default();
        let at = Path::root().key("conflict");
        match self.compile(&at, None, &mut p) {
            Some(x) if p.is_empty() => Ok(x),
            _ => Err(p
                .0
                .iter()
                .map(|x| format!("{}: {}", x.path, x.message))
                .collect::<Vec<_>>()
                .join("; ")),
        }
    }

    fn compile(&self, at: &Path, refs: Option<&Refs>, p: &mut Problems) -> Option<ConflictInput> {
        if self.dms.len() < 2 {
            p.push(
                at.key("dm"),
                format!(
                    "{} decision maker(s) declared; expected at least 2 [[conflict.dm]] entries",
                    self.dms.len()
                ),
            );
        }
        if self.options.is_empty() {
            p.push(
                at.key("option"),
                "no options declared; expected [[conflict.option]] entries",
            );
        }
        check_unique(
            self.dms.iter().map(|d| d.id.as_str()),
            "decision maker",
            |i| at.key("dm").index(i).key("id"),
            p,
        );
        check_unique(
            self.options.iter().map(|o| o.id.as_str()),
            "option",
            |i| at.key("option").index(i).key("id"),
            p,
        );
        let mut dm_of = Vec::new();
        for (k, o) in self.options.iter().enumerate() {
            let here = at.key("option").index(k);
            if o.id.is_empty()
                || !o
                    .id
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                || o.id.chars().next().is_some_and(|c| c.is_ascii_digit())
                || matches!(
                    o.id.to_ascii_lowercase().as_str(),
                    "if" | "iff" | "and" | "or" | "not"
                )
            {
                p.push(
                    here.key("id"),
                    format!("option id `{}` cannot be used in formulas; expected letters, digits, `_` or `.`, not starting with a digit and not a keyword (if, iff, and, or, not)", o.id),
                );
            }
            match self.dms.iter().position(|d| d.id == o.dm) {
                Some(i) => dm_of.push(i),
                None => {
                    p.push(
                        here.key("dm"),
                        format!(
                            "unknown decision maker `{}`{}; expected one of the [[conflict.dm]] ids ({})",
                            o.dm,
                            negotium_suggest::did_you_mean(&o.dm, self.dms.iter().map(|d| d.id.as_str())),
                            self.dms.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    );
                    dm_of.push(0);
                }
            }
        }
        for (i, d) in self.dms.iter().enumerate() {
            let here = at.key("dm").index(i);
            if let (Some(r), Some(a)) = (refs, &d.actor) {
                r.check_actor(a, here.key("actor"), p);
            }
            if !self.options.iter().any(|o| o.dm == d.id) {
                p.push(here.key("id"), format!("decision maker `{}` controls no option; expected at least one [[conflict.option]] with dm = \"{}\"", d.id, d.id));
            }
            match (&d.ranking, d.preferences.is_empty()) {
                (Some(_), false) => p.push(here.key("ranking"), "both `preferences` and `ranking` given; expected one of them"),
                (None, true) => p.push(here.key("preferences"), "no preferences; expected `preferences` (statements) or `ranking` (state numbers)"),
                _ => {}
            }
        }
        let mut spec = ConflictSpec {
            dms: Vec::new(),
            options: self
                .options
                .iter()
                .zip(&dm_of)
                .map(|(o, &dm)| OptionSpec {
                    id: o.id.clone(),
                    name: o.name.clone().unwrap_or_else(|| o.id.clone()),
                    dm,
                    reversibility: match o.reversible {
                        Reversible::Both => Reversibility::Both,
                        Reversible::TakeOnly => Reversibility::TakeOnly,
                        Reversible::DropOnly => Reversibility::DropOnly,
                    },
                })
                .collect(),
            infeasible: Vec::new(),
        };
        let ids = spec.option_ids();
        let grouped = spec.grouped_order();
        let opt_names = spec.option_names();
        let names = OptionNames {
            ids: &ids,
            names: &opt_names,
            grouped: &grouped,
        };
        let formula = |text: &str, path: Path, p: &mut Problems| -> Option<Formula> {
            match parse(text, &names) {
                Ok(f) => Some(f),
                Err(e) => {
                    p.push(path, e.to_string());
                    None
                }
            }
        };
        let opt_list = |list: &[String], path: Path, p: &mut Problems| -> Vec<usize> {
            list.iter()
                .enumerate()
                .filter_map(|(j, id)| match ids.iter().position(|x| x == id) {
                    Some(k) => Some(k),
                    None => {
                        p.push(
                            path.index(j),
                            format!(
                                "unknown option `{id}`{}; expected one of: {}",
                                negotium_suggest::did_you_mean(id, ids.iter().map(String::as_str)),
                                ids.join(", ")
                            ),
                        );
                        None
                    }
                })
                .collect()
        };
        for (k, inf) in self.infeasible.iter().enumerate() {
            let here = at.key("infeasible").index(k);
            let given = inf.when.is_some() as u8
                + inf.exclusive.is_some() as u8
                + inf.at_least_one.is_some() as u8;
            if given != 1 {
                p.push(here.clone(), format!("{given} of `when`, `exclusive`, `at_least_one` given; expected exactly one"));
                continue;
            }
            if let Some(w) = &inf.when {
                if let Some(f) = formula(w, here.key("when"), p) {
                    spec.infeasible.push(f);
                }
            }
            if let Some(ex) = &inf.exclusive {
                let v = opt_list(ex, here.key("exclusive"), p);
                if ex.len() < 2 {
                    p.push(here.key("exclusive"), "expected at least 2 options");
                }
                spec.infeasible.extend(ConflictSpec::mutually_exclusive(&v));
            }
            if let Some(al) = &inf.at_least_one {
                let v = opt_list(al, here.key("at_least_one"), p);
                if al.is_empty() {
                    p.push(here.key("at_least_one"), "expected at least 1 option");
                }
                spec.infeasible.push(ConflictSpec::at_least_one(&v));
            }
        }
        let preferences_of = |ranking: &Option<Vec<RankEntry>>,
                              statements: &[Statement],
                              here: &Path,
                              p: &mut Problems| {
            if let Some(r) = ranking {
                Preferences::Ranking(
                    r.iter()
                        .map(|e| match e {
                            RankEntry::One(n) => vec![*n],
                            RankEntry::Tie(v) => v.clone(),
                        })
                        .collect(),
                )
            } else {
                let mut v = Vec::new();
                for (k, st) in statements.iter().enumerate() {
                    let path = match st {
                        Statement::Text(_) => here.key("preferences").index(k),
                        Statement::Noted { .. } => {
                            here.key("preferences").index(k).key("statement")
                        }
                    };
                    if let Some(f) = formula(st.text(), path, p) {
                        v.push(f);
                    }
                }
                Preferences::Statements(v)
            }
        };
        let mut alternatives = Vec::with_capacity(self.dms.len());
        for (i, d) in self.dms.iter().enumerate() {
            let here = at.key("dm").index(i);
            let preferences = preferences_of(&d.ranking, &d.preferences, &here, p);
            let apath = here.key("alternatives");
            check_weights(
                d.alternatives.iter().map(|a| a.weight),
                &apath,
                "preference",
                p,
            );
            let mut alts = Vec::with_capacity(d.alternatives.len());
            for (k, a) in d.alternatives.iter().enumerate() {
                let ahere = apath.index(k);
                match (&a.ranking, a.preferences.is_empty()) {
                    (Some(_), false) => p.push(
                        ahere.key("ranking"),
                        "both `preferences` and `ranking` given; expected one of them",
                    ),
                    (None, true) => p.push(
                        ahere.key("preferences"),
                        "no preferences; expected `preferences` (statements) or `ranking` (state numbers)",
                    ),
                    _ => {}
                }
                alts.push((
                    a.weight,
                    preferences_of(&a.ranking, &a.preferences, &ahere, p),
                ));
            }
            alternatives.push(alts);
            let misperceived = d
                .misperceived
                .iter()
                .enumerate()
                .filter_map(|(k, t)| formula(t, here.key("misperceived").index(k), p))
                .collect();
            spec.dms.push(DmSpec {
                id: d.id.clone(),
                name: d.name.clone().unwrap_or_else(|| d.id.clone()),
                preferences,
                misperceived,
            });
        }
        let status_quo = self
            .status_quo
            .as_deref()
            .and_then(|t| formula(t, at.key("status_quo"), p));
        let historical = self
            .historical
            .as_deref()
            .and_then(|t| formula(t, at.key("historical"), p));
        Some(ConflictInput {
            spec,
            status_quo,
            historical,
            alternatives,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
status_quo = "!rel & !esc & !att"
[[dm]]
id = "SYR"
name = "Syria"
preferences = ["NNN", "2", { statement = "-3", notes = "no attack" }, "-1"]
[[dm]]
id = "IRQ"
name = "Iraq"
preferences = ["YNN", "NNY", "NYY", "NNN", "YNY"]
[[option]]
id = "att"
dm = "IRQ"
[[option]]
id = "rel"
dm = "SYR"
[[option]]
id = "esc"
dm = "SYR"
[[infeasible]]
exclusive = ["rel", "esc"]
"#;

    #[test]
    fn maps_and_builds_syria_iraq_with_options_regrouped_by_dm() {
        let s: ConflictSection = toml::from_str(SRC).unwrap();
        let mut p = Problems::default();
        s.validate(&Path::root().key("conflict"), &Refs::default(), &mut p);
        assert!(p.is_empty(), "{:?}", p.0);
        let input = s.to_input().unwrap();
        let c = Conflict::build(&input.spec).unwrap();
        // rel, esc (Syria) come first although `att` is declared first.
        assert_eq!(c.options()[0].id, "rel");
        assert_eq!(c.options()[2].id, "att");
        assert_eq!(c.ranking(0).concat(), [1, 3, 6, 2, 4, 5]);
        assert_eq!(c.ranking(1).concat(), [2, 4, 6, 1, 5, 3]);
        assert_eq!(c.states_matching(input.status_quo.as_ref().unwrap()), [0]);
        // JSON round trip.
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<ConflictSection>(&j).unwrap(), s);
        let t = toml::to_string(&s).unwrap();
        assert_eq!(toml::from_str::<ConflictSection>(&t).unwrap(), s);
    }

    #[test]
    fn reports_problems_at_paths() {
        let bad = SRC
            .replace(r#""-1"]"#, r#""-1 & bogus"]"#)
            .replace(r#"dm = "IRQ""#, r#"dm = "IRN""#)
            .replace(
                r#"exclusive = ["rel", "esc"]"#,
                r#"exclusive = ["rel", "nope"]"#,
            );
        let s: ConflictSection = toml::from_str(&bad).unwrap();
        let mut p = Problems::default();
        s.validate(&Path::root().key("conflict"), &Refs::default(), &mut p);
        let got: Vec<String> =
            p.0.iter()
                .map(|x| format!("{} | {}", x.path, x.message))
                .collect();
        assert!(
            got.iter()
                .any(|g| g.starts_with("conflict.option[0].dm | unknown decision maker `IRN`")),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|g| g
                    .starts_with("conflict.infeasible[0].exclusive[1] | unknown option `nope`")),
            "{got:?}"
        );
        assert!(got.iter().any(|g| g.starts_with("conflict.dm[0].preferences[3] | cannot parse `-1 & bogus` at column 6: unknown option `bogus`")), "{got:?}");
    }

    #[test]
    fn bad_ranking_and_ambiguous_status_quo_are_located() {
        let src = SRC
            .replace(
                r#"preferences = ["YNN", "NNY", "NYY", "NNN", "YNY"]"#,
                "ranking = [2, [4, 6], 1, 4]",
            )
            .replace(
                r#"status_quo = "!rel & !esc & !att""#,
                r#"status_quo = "!att""#,
            );
        let s: ConflictSection = toml::from_str(&src).unwrap();
        let mut p = Problems::default();
        s.validate(&Path::root().key("conflict"), &Refs::default(), &mut p);
        assert_eq!(p.len(), 1, "{:?}", p.0);
        assert_eq!(p.0[0].path.to_string(), "conflict.dm[1].ranking");
        assert!(p.0[0].message.contains("state 4 appears more than once"));
        let src = SRC.replace(
            r#"status_quo = "!rel & !esc & !att""#,
            r#"status_quo = "!att""#,
        );
        let s: ConflictSection = toml::from_str(&src).unwrap();
        let mut p = Problems::default();
        s.validate(&Path::root().key("conflict"), &Refs::default(), &mut p);
        assert_eq!(p.0[0].path.to_string(), "conflict.status_quo");
        assert!(p.0[0].message.contains("names 3 feasible states"));
    }
}
