//! Plain-language reasons: why a state is or is not stable for a DM under a
//! concept, with the sanctioning move sequence for each improvement.

use serde::{Deserialize, Serialize};

use crate::error::ConflictError;
use crate::space::Conflict;
use crate::stability::{escape_value, others, sim_sanction, Concept, Sanctions, Semantics, Step};

/// What happens to one unilateral improvement of the focal DM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The improvement's target state (index).
    pub target: usize,
    /// A sanction: opponents' move sequence ending in a state the DM likes no
    /// more than the start (for SIM: one simultaneous step).
    pub sanction: Option<Vec<Step>>,
    /// SMR only: when every sanction can be escaped, one sanction and the
    /// DM's escape from it, to a state it prefers to the start.
    pub escaped: Option<(Vec<Step>, usize)>,
}

/// Why state `state` is (not) stable for `dm` under `concept`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Narrative {
    pub dm: usize,
    pub state: usize,
    pub concept: Concept,
    pub stable: bool,
    pub improvements: Vec<Verdict>,
}

/// Explains one (DM, state, concept). Works at any scale: only the state's
/// own improvements are searched, with one shared searcher (states already
/// shown to lead to no sanction are not searched again).
pub fn explain(
    c: &Conflict,
    dm: usize,
    state: usize,
    concept: Concept,
    sem: Semantics,
) -> Result<Narrative, ConflictError> {
    let h = others(c, dm);
    let ps = c.payoff(dm, state);
    let uis = c.improvements(dm, state);
    let mut sx = Sanctions::new(c, dm, sem);
    let seq_goal = |t: usize| c.payoff(dm, t) <= ps;
    let concept_used = match concept {
        Concept::SeqSim => {
            let seq = uis.iter().all(|&s1| sx.find(s1, true, seq_goal).is_some());
            if seq {
                Concept::Seq
            } else {
                Concept::Sim
            }
        }
        x => x,
    };
    let esc = if concept_used == Concept::Smr && !uis.is_empty() {
        Some(escape_value(c, dm))
    } else {
        None
    };
    // A second searcher for the "escaped sanction" of SMR (another goal).
    let mut sx_gmr = (concept_used == Concept::Smr).then(|| Sanctions::new(c, dm, sem));
    let mut improvements = Vec::new();
    for &s1 in &uis {
        let mut v = Verdict {
            target: s1,
            sanction: None,
            escaped: None,
        };
        match concept_used {
            Concept::Nash => {}
            Concept::Gmr => v.sanction = sx.find(s1, false, |t| c.payoff(dm, t) <= ps),
            Concept::Seq => v.sanction = sx.find(s1, true, seq_goal),
            Concept::Smr => {
                let e = esc.as_deref().unwrap_or(&[]);
                v.sanction = sx.find(s1, false, |t| e[t] <= ps);
                if v.sanction.is_none() {
                    let found = sx_gmr
                        .as_mut()
                        .and_then(|g| g.find(s1, false, |t| c.payoff(dm, t) <= ps));
                    if let Some(p) = found {
                        let last = p.last().map(|x| x.state).unwrap_or(s1);
                        let out = c
                            .moves(dm, last)
                            .into_iter()
                            .max_by_key(|&q| c.payoff(dm, q))
                            .unwrap_or(last);
                        v.escaped = Some((p, out));
                    }
                }
            }
            Concept::Sim | Concept::SeqSim => {
                v.sanction = sim_sanction(c, dm, state, s1, &h).map(|q| {
                    vec![Step {
                        dm: usize::MAX,
                        state: q,
                    }]
                })
            }
        }
        improvements.push(v);
    }
    let stable = concept != Concept::Nash && improvements.iter().all(|v| v.sanction.is_some())
        || uis.is_empty();
    Ok(Narrative {
        dm,
        state,
        concept,
        stable,
        improvements,
    })
}

impl Narrative {
    /// Renders the reason in plain language (state numbers are GMCR numbers).
    pub fn text(&self, c: &Conflict) -> String {
        let name = &c.dms()[self.dm].name;
        let n = |s: usize| c.number(s);
        let mut out = String::new();
        if self.improvements.is_empty() {
            return format!(
                "State {} is stable for {name}: {name} has no unilateral improvement from it.",
                n(self.state)
            );
        }
        let opp: Vec<&str> = others(c, self.dm)
            .into_iter()
            .map(|j| c.dms()[j].name.as_str())
            .collect();
        let path = |p: &[Step]| -> String {
            p.iter()
                .map(|st| {
                    if st.dm == usize::MAX {
                        format!("the others simultaneously move to {}", n(st.state))
                    } else {
                        format!("{} moves to {}", c.dms()[st.dm].name, n(st.state))
                    }
                })
                .collect::<Vec<_>>()
                .join(", then ")
        };
        for v in &self.improvements {
            let head = format!(
                "{name}'s improvement from state {} to state {}",
                n(self.state),
                n(v.target)
            );
            let line = match (&v.sanction, &v.escaped, self.concept) {
                (_, _, Concept::Nash) => format!("{head} is available, so the state is not Nash-stable for {name}."),
                (Some(p), _, _) => format!(
                    "{head} is sanctioned: {} (a state {name} likes no more than {}).",
                    path(p),
                    n(self.state)
                ),
                (None, Some((p, e)), _) => format!(
                    "{head} is not sanctioned: the sanction \"{}\" can be escaped by {name} moving on to {} (preferred to {}).",
                    path(p),
                    n(*e),
                    n(self.state)
                ),
                (None, None, Concept::Sim | Concept::SeqSim) => format!(
                    "{head} is not sanctioned: no combination of simultaneous improvements by {} yields a state {name} likes no more than {}.",
                    opp.join(", "),
                    n(self.state)
                ),
                (None, None, Concept::Seq) => format!(
                    "{head} is not sanctioned: no sequence of improving moves by {} from state {} reaches a state {name} likes no more than {}.",
                    opp.join(", "),
                    n(v.target),
                    n(self.state)
                ),
                (None, None, _) => format!(
                    "{head} is not sanctioned: no sequence of moves by {} from state {} reaches a state {name} likes no more than {}.",
                    opp.join(", "),
                    n(v.target),
                    n(self.state)
                ),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out.pop();
        out
    }
}
