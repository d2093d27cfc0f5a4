//! Deciding a vote: does a set of ballots pass a game's rule, who vetoed, who
//! was pivotal; and checking a recorded tally against a majority rule of
//! "members present and voting" (or of all members).

use serde::{Deserialize, Serialize};

use crate::error::VotingError;
use crate::game::Game;

/// One member's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ballot {
    Yes,
    No,
    Abstain,
}

impl Ballot {
    pub fn as_str(self) -> &'static str {
        match self {
            Ballot::Yes => "yes",
            Ballot::No => "no",
            Ballot::Abstain => "abstain",
        }
    }
}

/// Why a proposal failed (one entry per unmet condition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Failure {
    /// A veto member voted against (or, where abstention counts as a veto, did not vote yes).
    Veto { member: usize },
    /// The yes votes' weight fell short of quota `quota`.
    Quota { quota: usize, got: u64, need: u64 },
}

/// The outcome of a vote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoteOutcome {
    pub passes: bool,
    /// Weight of the yes votes per quota.
    pub yes_weight: Vec<u64>,
    pub yes: usize,
    pub no: usize,
    pub abstain: usize,
    /// Passed through the minimum-complement clause (too few members outside to block).
    pub by_complement: bool,
    pub failures: Vec<Failure>,
    /// Veto members whose ballot blocked the proposal.
    pub vetoed_by: Vec<usize>,
    /// Members whose ballot alone decides: if it passed, yes-voters whose
    /// switch to no would defeat it; if it failed, members whose switch to
    /// yes would carry it.
    pub pivotal: Vec<usize>,
}

/// Decides a vote under `game`. A veto member blocks by voting no, and also
/// by abstaining when `abstention_is_veto` (UN practice since 1946: a
/// permanent member's abstention is not a veto).
pub fn decide(
    game: &Game,
    ballots: &[Ballot],
    abstention_is_veto: bool,
) -> Result<VoteOutcome, VotingError> {
    let n = game.n();
    if ballots.len() != n {
        return Err(VotingError::BallotCount {
            expected: n,
            got: ballots.len(),
        });
    }
    let mut out = evaluate(game, ballots, abstention_is_veto);
    let mut flipped = ballots.to_vec();
    for i in 0..n {
        let to = if out.passes {
            if ballots[i] != Ballot::Yes {
                continue;
            }
            Ballot::No
        } else {
            if ballots[i] == Ballot::Yes {
                continue;
            }
            Ballot::Yes
        };
        flipped[i] = to;
        if evaluate(game, &flipped, abstention_is_veto).passes != out.passes {
            out.pivotal.push(i);
        }
        flipped[i] = ballots[i];
    }
    Ok(out)
}

fn evaluate(game: &Game, ballots: &[Ballot], abstention_is_veto: bool) -> VoteOutcome {
    let n = game.n();
    let count = |b: Ballot| ballots.iter().filter(|x| **x == b).count();
    let (yes, no, abstain) = (
        count(Ballot::Yes),
        count(Ballot::No),
        count(Ballot::Abstain),
    );
    let mut failures = Vec::new();
    let mut vetoed_by = Vec::new();
    for (i, &b) in ballots.iter().enumerate() {
        let blocks = b == Ballot::No || (abstention_is_veto && b == Ballot::Abstain);
        if game.vetoes()[i] && blocks {
            vetoed_by.push(i);
            failures.push(Failure::Veto { member: i });
        }
    }
    let yes_weight: Vec<u64> = game
        .quotas()
        .iter()
        .map(|q| {
            q.weights
                .iter()
                .zip(ballots)
                .filter(|(_, b)| **b == Ballot::Yes)
                .map(|(w, _)| *w)
                .sum()
        })
        .collect();
    let by_complement = game.min_complement().is_some_and(|k| n - yes < k as usize);
    if !by_complement {
        for (j, (q, &got)) in game.quotas().iter().zip(&yes_weight).enumerate() {
            if got < q.quota {
                failures.push(Failure::Quota {
                    quota: j,
                    got,
                    need: q.quota,
                });
            }
        }
    }
    VoteOutcome {
        passes: failures.is_empty(),
        yes_weight,
        yes,
        no,
        abstain,
        by_complement,
        failures,
        vetoed_by,
        pivotal: Vec::new(),
    }
}

/// Whose votes a recorded majority is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Members present and voting: yes + no (abstentions do not count).
    VotesCast,
    /// Members present: yes + no + abstentions.
    Present,
    /// All members (seats), present or not.
    Members,
}

/// "More than num/den" (strict) or "at least num/den" of the basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorityRule {
    pub basis: Basis,
    pub num: u64,
    pub den: u64,
    pub strict: bool,
    /// Also needs at least this many yes votes.
    pub min_yes: Option<u64>,
    /// Number of seats (for the `Members` basis when the tally omits absentees).
    pub seats: Option<u64>,
}

impl MajorityRule {
    pub fn new(
        basis: Basis,
        num: u64,
        den: u64,
        strict: bool,
        min_yes: Option<u64>,
        seats: Option<u64>,
    ) -> Result<MajorityRule, VotingError> {
        if den == 0 || num == 0 || num > den {
            return Err(VotingError::BadMajority(format!(
                "fraction {num}/{den}; expected 0 < num ≤ den"
            )));
        }
        if strict && num == den {
            return Err(VotingError::BadMajority(
                "more than all of the votes can never be reached; use at-least for unanimity"
                    .into(),
            ));
        }
        Ok(MajorityRule {
            basis,
            num,
            den,
            strict,
            min_yes,
            seats,
        })
    }

    pub fn describe(&self) -> String {
        let frac = match (self.num, self.den) {
            (1, 2) => "half".to_string(),
            (2, 3) => "two thirds".to_string(),
            (n, d) => format!("{n}/{d}"),
        };
        let of = match self.basis {
            Basis::VotesCast => "the members present and voting (yes + no)",
            Basis::Present => "the members present (yes + no + abstentions)",
            Basis::Members => "all members",
        };
        let mut s = format!(
            "{} {frac} of {of}",
            if self.strict { "more than" } else { "at least" }
        );
        if let Some(k) = self.min_yes {
            s.push_str(&format!(", and at least {k} yes votes"));
        }
        s
    }
}

/// A recorded tally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub yes: u64,
    pub no: u64,
    pub abstain: u64,
    pub absent: Option<u64>,
}

/// Whether a tally carries the motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TallyVerdict {
    Passes,
    Fails,
    /// The tally alone cannot tell (e.g. who cast the no votes matters).
    Undetermined,
}

/// A tally checked against a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TallyCheck {
    pub verdict: TallyVerdict,
    /// Yes votes needed given the tally's basis, when known.
    pub required_yes: Option<u64>,
    pub explanation: String,
}

/// Checks a tally against a majority rule.
pub fn check_tally(rule: &MajorityRule, t: &Tally) -> TallyCheck {
    let base = match rule.basis {
        Basis::VotesCast => Some(t.yes + t.no),
        Basis::Present => Some(t.yes + t.no + t.abstain),
        Basis::Members => rule
            .seats
            .or(t.absent.map(|a| t.yes + t.no + t.abstain + a)),
    };
    let Some(base) = base else {
        return TallyCheck {
            verdict: TallyVerdict::Undetermined,
            required_yes: None,
            explanation: "a majority of all members needs the number of seats or of absentees; the tally gives neither".into(),
        };
    };
    // least y with y·den > num·base (strict) or y·den ≥ num·base
    let prod = rule.num as u128 * base as u128;
    let den = rule.den as u128;
    let mut need = if rule.strict {
        prod / den + 1
    } else {
        prod.div_ceil(den)
    } as u64;
    if let Some(k) = rule.min_yes {
        need = need.max(k);
    }
    let passes = t.yes >= need;
    TallyCheck {
        verdict: if passes {
            TallyVerdict::Passes
        } else {
            TallyVerdict::Fails
        },
        required_yes: Some(need),
        explanation: format!(
            "{} yes of {base} counted; {} needs {need}: {}",
            t.yes,
            rule.describe(),
            if passes { "carried" } else { "not carried" }
        ),
    }
}

/// Checks a tally of heads against a weighted game whose quotas all count
/// members equally (one member, one vote); otherwise undetermined.
pub fn check_tally_game(game: &Game, t: &Tally, abstention_is_veto: bool) -> TallyCheck {
    let n = game.n() as u64;
    let cast = t.yes + t.no + t.abstain + t.absent.unwrap_or(0);
    if cast > n {
        return TallyCheck {
            verdict: TallyVerdict::Undetermined,
            required_yes: None,
            explanation: format!("the tally counts {cast} members but the body has {n}"),
        };
    }
    let mut need = 0u64;
    for q in game.quotas() {
        let c = q.weights[0];
        if q.weights.iter().any(|&w| w != c) {
            return TallyCheck {
                verdict: TallyVerdict::Undetermined,
                required_yes: None,
                explanation:
                    "members' weights differ, so a head count cannot be checked against the quota"
                        .into(),
            };
        }
        need = need.max(q.quota.div_ceil(c.max(1)));
    }
    if let Some(k) = game.min_complement() {
        need = need.min(n.saturating_sub(k as u64) + 1);
    }
    let has_veto = game.vetoes().iter().any(|v| *v);
    if t.yes < need {
        return TallyCheck {
            verdict: TallyVerdict::Fails,
            required_yes: Some(need),
            explanation: format!("{} yes votes; the rule needs {need}: not carried", t.yes),
        };
    }
    let blockers = t.no
        + if abstention_is_veto {
            t.abstain + t.absent.unwrap_or(0)
        } else {
            0
        };
    if has_veto && blockers > 0 {
        return TallyCheck {
            verdict: TallyVerdict::Undetermined,
            required_yes: Some(need),
            explanation: format!(
                "{} yes votes reach the {need} needed, but {blockers} member(s) voted against: carried unless one of them holds a veto",
                t.yes
            ),
        };
    }
    TallyCheck {
        verdict: TallyVerdict::Passes,
        required_yes: Some(need),
        explanation: format!(
            "{} yes votes reach the {need} needed{}: carried",
            t.yes,
            if has_veto {
                " and no vote against could be a veto"
            } else {
                ""
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::WeightedQuota;

    fn unsc() -> Game {
        let mut veto = vec![true; 5];
        veto.extend([false; 10]);
        Game::new(
            vec![WeightedQuota {
                weights: vec![1; 15],
                quota: 9,
            }],
            veto,
            None,
        )
        .unwrap()
    }

    #[test]
    fn a_permanent_no_vetoes_but_an_abstention_does_not() {
        let g = unsc();
        let mut b = vec![Ballot::Yes; 15];
        b[2] = Ballot::No;
        let o = decide(&g, &b, false).unwrap();
        assert!(!o.passes);
        assert_eq!(o.vetoed_by, vec![2]);
        // the vetoing member alone can flip it
        assert_eq!(o.pivotal, vec![2]);
        b[2] = Ballot::Abstain;
        let o = decide(&g, &b, false).unwrap();
        assert!(o.passes);
        // 14 yes: only veto holders are pivotal (a no from any of them defeats it)
        assert_eq!(o.pivotal, vec![0, 1, 3, 4]);
        assert!(!decide(&g, &b, true).unwrap().passes);
    }

    #[test]
    fn quota_shortfall_and_pivotal_elected_members() {
        let g = unsc();
        let mut b = vec![Ballot::Abstain; 15];
        for x in b.iter_mut().take(9) {
            *x = Ballot::Yes;
        }
        let o = decide(&g, &b, false).unwrap();
        assert!(o.passes);
        // exactly nine yes: every yes voter is pivotal
        assert_eq!(o.pivotal, (0..9).collect::<Vec<_>>());
        b[8] = Ballot::No;
        let o = decide(&g, &b, false).unwrap();
        assert_eq!(
            o.failures,
            vec![Failure::Quota {
                quota: 0,
                got: 8,
                need: 9
            }]
        );
        assert_eq!(o.pivotal, (8..15).collect::<Vec<_>>());
        assert!(decide(&g, &b[..3], false).is_err());
    }

    #[test]
    fn blocking_minority_clause() {
        // 5 members, weights by population, quota 90 of 100, fewer than 2 outside wins.
        let g = Game::new(
            vec![WeightedQuota {
                weights: vec![60, 10, 10, 10, 10],
                quota: 90,
            }],
            vec![false; 5],
            Some(2),
        )
        .unwrap();
        let mut b = vec![Ballot::Yes; 5];
        b[0] = Ballot::No;
        let o = decide(&g, &b, false).unwrap();
        assert!(o.passes && o.by_complement);
    }

    #[test]
    fn majorities_of_members_present_and_voting() {
        let simple = MajorityRule::new(Basis::VotesCast, 1, 2, true, None, Some(192)).unwrap();
        let t = Tally {
            yes: 77,
            no: 6,
            abstain: 74,
            absent: Some(35),
        };
        let c = check_tally(&simple, &t);
        assert_eq!(
            (c.verdict, c.required_yes),
            (TallyVerdict::Passes, Some(42))
        );
        let two_thirds = MajorityRule::new(Basis::Present, 2, 3, false, None, None).unwrap();
        let c = check_tally(&two_thirds, &t);
        // 157 present: 2/3 needs 105 (104.67 rounded up)
        assert_eq!(
            (c.verdict, c.required_yes),
            (TallyVerdict::Fails, Some(105))
        );
        let members = MajorityRule::new(Basis::Members, 1, 2, true, None, None).unwrap();
        assert_eq!(check_tally(&members, &t).required_yes, Some(97));
        let tie = Tally {
            yes: 5,
            no: 5,
            abstain: 0,
            absent: None,
        };
        assert_eq!(check_tally(&simple, &tie).verdict, TallyVerdict::Fails);
        assert!(MajorityRule::new(Basis::VotesCast, 3, 2, false, None, None).is_err());
    }

    #[test]
    fn security_council_tallies() {
        let g = unsc();
        let t = |yes, no, abstain| Tally {
            yes,
            no,
            abstain,
            absent: None,
        };
        assert_eq!(
            check_tally_game(&g, &t(14, 0, 1), false).verdict,
            TallyVerdict::Passes
        );
        assert_eq!(
            check_tally_game(&g, &t(8, 0, 7), false).verdict,
            TallyVerdict::Fails
        );
        assert_eq!(
            check_tally_game(&g, &t(13, 2, 0), false).verdict,
            TallyVerdict::Undetermined
        );
        assert_eq!(
            check_tally_game(&g, &t(14, 2, 0), false).verdict,
            TallyVerdict::Undetermined
        );
    }
}
