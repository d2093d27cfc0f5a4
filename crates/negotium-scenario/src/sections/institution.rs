//! The `[[institution]]` sections: voting bodies (quotas, weights, vetoes,
//! the blocking-minority clause, majorities of members present and voting),
//! their validation at document paths, and the mapping onto
//! `negotium-voting` (the game). Ballots on a proposal and checks of
//! recorded votes read the whole scenario: they are in [`crate::votes`].

use serde::{Deserialize, Serialize};

use negotium_voting::{
    scale_to_integers, Ballot, Basis, Game, MajorityRule, VotingError, WeightedQuota,
};

use crate::validate::{Path, Problems, Refs};

/// One `[[institution]]`.
///
/// A weighted body has `quota` and `members`; a coalition wins when it
/// reaches every quota (and holds every veto), or when fewer than
/// `min_complement` members are outside it. A body known only through its
/// recorded votes may instead give a `majority` rule (and `seats`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstitutionSection {
    pub id: String,
    pub name: String,
    /// One quota per weight vector: `quota = [q1, q2, …]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quota: Vec<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberEntry>,
    /// A coalition also wins when fewer than this many members are outside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_complement: Option<u32>,
    /// The rule of recorded votes, as a share of the votes counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub majority: Option<MajoritySection>,
    /// Number of seats, when the members are not all listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<u32>,
    /// Does a veto member's abstention block? (UN practice: no.)
    #[serde(default, skip_serializing_if = "is_false")]
    pub abstention_is_veto: bool,
    /// Ballot of members with neither a stance nor a `position` (default: abstain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_vote: Option<Ballot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A member: `{ actor = "USA", weights = [1], veto = true }` or
/// `{ name = "Belgium", position = 75 }`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MemberEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One weight per quota; default 1 for each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub veto: bool,
    /// The member's position on the issue voted on, when it has no stance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<f64>,
    /// Its ballot when it has neither a stance nor a position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_vote: Option<Ballot>,
    /// Uncertainty: ballots the member may cast instead of the one its
    /// stance (or position, or default) gives, each with a probability; the
    /// computed ballot takes the weight left over (drawn by `negotium sweep`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<WeightedBallot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `{ weight = 0.3, vote = "no" }`: a ballot a member may cast, with its
/// probability.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WeightedBallot {
    /// Probability, in (0, 1].
    pub weight: f64,
    /// `yes`, `no` or `abstain`.
    pub vote: Ballot,
}

/// `majority = { basis = "votes-cast", more_than = [1, 2] }`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MajoritySection {
    /// `votes-cast` (yes + no), `present` (yes + no + abstain) or `members`.
    pub basis: Basis,
    /// Strictly more than num/den of the basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_than: Option<Vec<u64>>,
    /// At least num/den of the basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<Vec<u64>>,
    /// Also at least this many yes votes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_yes: Option<u64>,
}

/// Why an institution cannot be mapped or a vote cannot be taken.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InstitutionError {
    #[error("institution `{id}`: {source}")]
    Voting {
        id: String,
        #[source]
        source: VotingError,
    },
    #[error("institution `{0}` has no weighted rule (quota and members); it only checks recorded tallies")]
    NoGame(String),
    #[error("unknown issue `{0}`")]
    UnknownIssue(String),
    #[error("issue `{0}` has no status_quo; a vote compares the proposal with it (give one)")]
    NoStatusQuo(String),
    #[error("proposal {value} is outside the scale of issue `{issue}` [{min}, {max}]")]
    ProposalOutOfRange {
        issue: String,
        value: f64,
        min: f64,
        max: f64,
    },
}

/// An institution as the voting engine sees it.
#[derive(Debug, Clone)]
pub struct InstitutionModel {
    pub id: String,
    pub name: String,
    /// Member labels: the actor id, or the given name.
    pub labels: Vec<String>,
    /// The weighted game, if the section defines one.
    pub game: Option<Game>,
    /// Power-of-ten scale applied to each quota's decimal weights.
    pub scales: Vec<u64>,
    pub majority: Option<MajorityRule>,
    pub abstention_is_veto: bool,
}

impl MemberEntry {
    /// The label shown for the member.
    pub fn label(&self) -> String {
        self.actor
            .clone()
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| "?".into())
    }
    fn weights_or_default(&self, k: usize) -> Vec<f64> {
        self.weights.clone().unwrap_or_else(|| vec![1.0; k])
    }
}

impl MajoritySection {
    fn fraction(&self) -> Option<(Vec<u64>, bool)> {
        match (&self.more_than, &self.at_least) {
            (Some(f), None) => Some((f.clone(), true)),
            (None, Some(f)) => Some((f.clone(), false)),
            _ => None,
        }
    }
}

impl InstitutionSection {
    /// Semantic checks; `at` is the path of this entry (`institution[i]`).
    pub fn validate(&self, at: &Path, refs: &Refs, problems: &mut Problems) {
        let before = problems.len();
        if self.id.trim().is_empty() {
            problems.push(
                at.key("id"),
                "institution id is empty: expected an id such as `unsc`",
            );
        }
        if self.quota.is_empty() && self.majority.is_none() {
            problems.push(
                at.key("quota"),
                "an institution needs a weighted rule (`quota` and `members`) or a `majority` rule for its recorded votes",
            );
        }
        if !self.quota.is_empty() && self.members.is_empty() {
            problems.push(
                at.key("members"),
                "a `quota` needs `members` to reach it: expected members = [{ actor = \"ID\" }, …]",
            );
        }
        if self.quota.is_empty() && !self.members.is_empty() {
            problems.push(
                at.key("quota"),
                "members are listed but no `quota`: expected quota = [q] (one quota per weight)",
            );
        }
        for (k, &q) in self.quota.iter().enumerate() {
            if !(q.is_finite() && q > 0.0) {
                problems.push(
                    at.key("quota").index(k),
                    format!("quota {q} is invalid: expected a number > 0 (a quota of 0 is reached by every coalition)"),
                );
            }
        }
        let k = self.quota.len();
        let mut seen = std::collections::BTreeMap::<String, usize>::new();
        for (j, m) in self.members.iter().enumerate() {
            let mat = at.key("members").index(j);
            match (&m.actor, &m.name) {
                (Some(a), None) => {
                    refs.check_actor(a, mat.key("actor"), problems);
                }
                (None, Some(n)) if !n.trim().is_empty() => {}
                (None, Some(_)) => problems.push(mat.key("name"), "member name is empty"),
                _ => problems.push(
                    mat.clone(),
                    "a member needs exactly one of `actor` (an actor id) or `name` (a body not modelled as an actor)",
                ),
            }
            let label = m.label();
            if let Some(first) = seen.insert(label.clone(), j) {
                problems.push(
                    mat.clone(),
                    format!("duplicate member `{label}`: already listed at members[{first}]"),
                );
            }
            if let Some(w) = &m.weights {
                if w.len() != k && k > 0 {
                    problems.push(
                        mat.key("weights"),
                        format!(
                            "{} weight(s) given but the institution has {k} quota(s): expected one weight per quota",
                            w.len()
                        ),
                    );
                }
                for (i, &x) in w.iter().enumerate() {
                    if !(x.is_finite() && x >= 0.0) {
                        problems.push(
                            mat.key("weights").index(i),
                            format!("weight {x} is invalid: expected a finite number ≥ 0"),
                        );
                    }
                }
            }
            if let Some(p) = m.position {
                if !p.is_finite() {
                    problems.push(mat.key("position"), "position must be a finite number");
                }
            }
            crate::uncertain::check_weights(
                m.ballots.iter().map(|b| b.weight),
                &mat.key("ballots"),
                "ballot",
                problems,
            );
        }
        if let Some(c) = self.min_complement {
            let n = self.members.len();
            if c == 0 || (n > 0 && c as usize > n) {
                problems.push(
                    at.key("min_complement"),
                    format!("min_complement {c} is out of range: expected 1..={n} (the number of members)"),
                );
            }
        }
        if let Some(s) = self.seats {
            if (s as usize) < self.members.len() {
                problems.push(
                    at.key("seats"),
                    format!("{s} seats but {} members listed", self.members.len()),
                );
            }
        }
        if let Some(mj) = &self.majority {
            let mat = at.key("majority");
            match mj.fraction() {
                None => problems.push(
                    mat.clone(),
                    "a majority needs exactly one of `more_than = [num, den]` or `at_least = [num, den]`",
                ),
                Some((f, strict)) => {
                    let key = if strict { "more_than" } else { "at_least" };
                    let ok = f.len() == 2 && f[1] > 0 && f[0] > 0 && f[0] <= f[1] && !(strict && f[0] == f[1]);
                    if !ok {
                        problems.push(
                            mat.key(key),
                            format!("{f:?} is not a usable fraction: expected [num, den] with 0 < num ≤ den (and num < den for more_than)"),
                        );
                    }
                }
            }
            if mj.basis == Basis::Members && self.seats.is_none() && self.members.is_empty() {
                problems.push(
                    at.key("seats"),
                    "a majority of all members needs `seats` (or the members listed)",
                );
            }
        }
        // Whole-rule checks once every field is sound.
        if problems.len() == before && !self.quota.is_empty() {
            for (q, &quota) in self.quota.iter().enumerate() {
                let total: f64 = self
                    .members
                    .iter()
                    .map(|m| m.weights_or_default(k).get(q).copied().unwrap_or(0.0))
                    .sum();
                if quota > total * (1.0 + 1e-12) {
                    problems.push(
                        at.key("quota").index(q),
                        format!("quota {quota} exceeds the members' total weight {total}: no coalition can reach it"),
                    );
                }
            }
            if problems.len() == before {
                if let Err(e) = self.build_game() {
                    problems.push(at.clone(), format!("the rule is unusable: {e}"));
                }
            }
        }
    }

    fn build_game(&self) -> Result<Option<(Game, Vec<u64>)>, VotingError> {
        if self.quota.is_empty() {
            return Ok(None);
        }
        let k = self.quota.len();
        let mut quotas = Vec::new();
        let mut scales = Vec::new();
        for (q, &quota) in self.quota.iter().enumerate() {
            let w: Vec<f64> = self
                .members
                .iter()
                .map(|m| m.weights_or_default(k).get(q).copied().unwrap_or(0.0))
                .collect();
            let (weights, quota, scale) = scale_to_integers(&w, quota)?;
            quotas.push(WeightedQuota { weights, quota });
            scales.push(scale);
        }
        let veto = self.members.iter().map(|m| m.veto).collect();
        Ok(Some((
            Game::new(quotas, veto, self.min_complement)?,
            scales,
        )))
    }

    /// Maps the section onto the voting engine.
    pub fn model(&self) -> Result<InstitutionModel, InstitutionError> {
        let err = |source| InstitutionError::Voting {
            id: self.id.clone(),
            source,
        };
        let built = self.build_game().map_err(err)?;
        let majority = match &self.majority {
            None => None,
            Some(mj) => {
                let (f, strict) = mj.fraction().ok_or_else(|| {
                    err(VotingError::BadMajority(
                        "give exactly one of more_than or at_least".into(),
                    ))
                })?;
                if f.len() != 2 {
                    return Err(err(VotingError::BadMajority("expected [num, den]".into())));
                }
                let seats = self
                    .seats
                    .map(|s| s as u64)
                    .or((!self.members.is_empty()).then_some(self.members.len() as u64));
                Some(
                    MajorityRule::new(mj.basis, f[0], f[1], strict, mj.min_yes, seats)
                        .map_err(err)?,
                )
            }
        };
        let (game, scales) = match built {
            Some((g, s)) => (Some(g), s),
            None => (None, Vec::new()),
        };
        Ok(InstitutionModel {
            id: self.id.clone(),
            name: self.name.clone(),
            labels: self.members.iter().map(MemberEntry::label).collect(),
            game,
            scales,
            majority,
            abstention_is_veto: self.abstention_is_veto,
        })
    }
}

/// Checks every institution id and returns problems with duplicates.
pub fn validate_all(sections: &[InstitutionSection], root: &Path, problems: &mut Problems) {
    crate::validate::check_unique(
        sections.iter().map(|s| s.id.as_str()),
        "institution",
        |i| root.key("institution").index(i).key("id"),
        problems,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Seg;
    use negotium_voting::{check_tally, Tally};

    fn refs() -> Refs {
        Refs {
            actors: ["USA", "RUS", "CHN"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            issues: ["status"].iter().map(|s| s.to_string()).collect(),
        }
    }

    fn parse(src: &str) -> InstitutionSection {
        #[derive(Deserialize)]
        struct W {
            institution: Vec<InstitutionSection>,
        }
        let w: W = toml::from_str(src).unwrap();
        w.institution.into_iter().next().unwrap()
    }

    fn problems(src: &str) -> Vec<(String, String)> {
        let s = parse(src);
        let mut p = Problems::default();
        s.validate(&Path::root().key("institution").index(0), &refs(), &mut p);
        p.0.into_iter()
            .map(|x| (x.path.to_string(), x.message))
            .collect()
    }

    const GOOD: &str = r#"
[[institution]]
id = "c"
name = "Council"
quota = [3]
members = [
  { actor = "USA", veto = true },
  { actor = "RUS", veto = true },
  { name = "Belgium", position = 70 },
  { name = "Ghana" },
]
"#;

    #[test]
    fn good_section_validates_and_maps() {
        assert!(problems(GOOD).is_empty(), "{:?}", problems(GOOD));
        let m = parse(GOOD).model().unwrap();
        assert_eq!(m.labels, ["USA", "RUS", "Belgium", "Ghana"]);
        let g = m.game.unwrap();
        assert!(g.wins(&[true, true, true, false]));
        assert!(!g.wins(&[false, true, true, true]));
    }

    #[test]
    fn round_trips_through_toml_and_json() {
        let s = parse(GOOD);
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<InstitutionSection>(&j).unwrap(), s);
        let t = toml::to_string(&s).unwrap();
        assert_eq!(toml::from_str::<InstitutionSection>(&t).unwrap(), s);
    }

    #[test]
    fn bad_input_is_located() {
        let unreachable = GOOD.replace("quota = [3]", "quota = [5]");
        let p = problems(&unreachable);
        assert_eq!(p[0].0, "institution[0].quota[0]");
        assert!(p[0].1.contains("no coalition can reach it"), "{p:?}");

        let zero = GOOD.replace("quota = [3]", "quota = [0]");
        assert_eq!(problems(&zero)[0].0, "institution[0].quota[0]");

        let lengths = GOOD.replace(
            "{ name = \"Ghana\" }",
            "{ name = \"Ghana\", weights = [1, 2] }",
        );
        let p = problems(&lengths);
        assert_eq!(p[0].0, "institution[0].members[3].weights");

        let negative = GOOD.replace(
            "{ name = \"Ghana\" }",
            "{ name = \"Ghana\", weights = [-1] }",
        );
        assert_eq!(
            problems(&negative)[0].0,
            "institution[0].members[3].weights[0]"
        );

        let unknown = GOOD.replace("actor = \"RUS\"", "actor = \"XXX\"");
        let p = problems(&unknown);
        assert_eq!(p[0].0, "institution[0].members[1].actor");
        assert!(p[0].1.contains("unknown actor `XXX`"));

        let both = GOOD.replace(
            "{ name = \"Ghana\" }",
            "{ actor = \"CHN\", name = \"Ghana\" }",
        );
        assert_eq!(problems(&both)[0].0, "institution[0].members[3]");

        // every coalition wins: quota 1 with min_complement 4 of 4 … and empty wins? no:
        let everyone = GOOD.replace("quota = [3]", "quota = [3]\nmin_complement = 5");
        assert_eq!(problems(&everyone)[0].0, "institution[0].min_complement");

        let dup = GOOD.replace("{ name = \"Ghana\" }", "{ name = \"Belgium\" }");
        assert_eq!(problems(&dup)[0].0, "institution[0].members[3]");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let bad = GOOD.replace("quota = [3]", "quota = [3]\nqouta = 2");
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct W {
            institution: Vec<InstitutionSection>,
        }
        assert!(toml::from_str::<W>(&bad).is_err());
    }

    #[test]
    fn majority_rule_checks() {
        let src = r#"
[[institution]]
id = "unga"
name = "UN General Assembly"
seats = 192
majority = { basis = "votes-cast", more_than = [1, 2] }
"#;
        assert!(problems(src).is_empty());
        let m = parse(src).model().unwrap();
        let r = check_tally(
            m.majority.as_ref().unwrap(),
            &Tally {
                yes: 77,
                no: 6,
                abstain: 74,
                absent: None,
            },
        );
        assert_eq!(r.verdict, negotium_voting::TallyVerdict::Passes);
        assert_eq!(r.required_yes, Some(42));
        let bad = src.replace("more_than = [1, 2]", "more_than = [2, 1]");
        let p = problems(&bad);
        assert_eq!(p[0].0, "institution[0].majority.more_than");
        let _ = Seg::Index(0);
    }
}
