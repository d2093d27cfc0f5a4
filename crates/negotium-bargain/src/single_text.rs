//! Mediated single negotiating text as a sans-IO state machine: a mediator
//! drafts a text, then each step proposes an amended text; every party votes
//! and any party can veto (the amendment is adopted only if all accept). At
//! the deadline each party ratifies or rejects the final text; it is the
//! agreement only if all ratify. Mediators: random drafts, hill-climbing
//! (change one issue), or a Nash-seeking mediator that knows the parties'
//! utilities, drafts the Nash point and proposes amendments that raise the
//! Nash product (the way a UN envoy drafts a comprehensive proposal).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::domain::{Domain, OutcomeId};
use crate::error::BargainError;
use crate::sao::{party_rngs, views, Action, End, RunResult, TraceEntry};
use crate::space::Space;
use crate::strategy::{derive_seed, Strategy};

/// What the single-text machine needs next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// The mediator must supply the first draft.
    Draft,
    /// The mediator must supply an amended text.
    Amend {
        current: OutcomeId,
    },
    /// A party votes on replacing `current` by `candidate`.
    Vote {
        party: usize,
        candidate: OutcomeId,
        current: OutcomeId,
    },
    /// A party ratifies (or not) the final text.
    Ratify {
        party: usize,
        text: OutcomeId,
    },
    Done,
}

/// The single-text state machine.
#[derive(Debug, Clone)]
pub struct SingleText {
    n_parties: usize,
    n_steps: u32,
    step: u32,
    current: Option<OutcomeId>,
    candidate: Option<OutcomeId>,
    voter: usize,
    all_yes: bool,
    ratified: usize,
    texts: u32,
    end: Option<End>,
    record: bool,
    trace: Vec<TraceEntry>,
}

/// Marks the mediator in traces.
pub const MEDIATOR: usize = usize::MAX;

impl SingleText {
    pub fn new(n_parties: usize, n_steps: u32, record: bool) -> Result<Self, BargainError> {
        crate::error::check_protocol_setup(n_parties, n_steps)?;
        Ok(SingleText {
            n_parties,
            n_steps,
            step: 0,
            current: None,
            candidate: None,
            voter: 0,
            all_yes: true,
            ratified: 0,
            texts: 0,
            end: None,
            record,
            trace: Vec::new(),
        })
    }

    /// Relative time of the current step: `(step + 1) / (n_steps + 1)`.
    pub fn relative_time(&self) -> f64 {
        (self.step as f64 + 1.0) / (self.n_steps as f64 + 1.0)
    }

    pub fn request(&self) -> Request {
        if self.end.is_some() {
            return Request::Done;
        }
        match (self.current, self.candidate) {
            (None, _) => Request::Draft,
            (Some(text), _) if self.step >= self.n_steps => Request::Ratify {
                party: self.ratified,
                text,
            },
            (Some(current), None) => Request::Amend { current },
            (Some(current), Some(candidate)) => Request::Vote {
                party: self.voter,
                candidate,
                current,
            },
        }
    }

    fn log(&mut self, party: usize, action: Action) {
        if self.record {
            let time = self.relative_time();
            self.trace.push(TraceEntry {
                step: self.step,
                time,
                party,
                action,
            });
        }
    }

    /// The mediator supplies the first draft or an amendment.
    pub fn mediate(&mut self, text: OutcomeId) -> Result<(), BargainError> {
        match self.request() {
            Request::Draft => {
                self.current = Some(text);
                self.texts += 1;
                self.log(MEDIATOR, Action::Offer { outcome: text });
            }
            Request::Amend { .. } => {
                self.candidate = Some(text);
                self.texts += 1;
                self.voter = 0;
                self.all_yes = true;
                self.log(MEDIATOR, Action::Offer { outcome: text });
            }
            r => {
                return Err(BargainError::Protocol(format!(
                    "the mediator drafted but the protocol expected {r:?}"
                )))
            }
        }
        Ok(())
    }

    /// A party's vote on the amendment (false is a veto).
    pub fn vote(&mut self, party: usize, yes: bool) -> Result<(), BargainError> {
        let candidate = match self.request() {
            Request::Vote {
                party: p,
                candidate,
                ..
            } if p == party => candidate,
            r => {
                return Err(BargainError::Protocol(format!(
                    "party {party} voted but the protocol expected {r:?}"
                )))
            }
        };
        self.log(
            party,
            if yes {
                Action::Accept { outcome: candidate }
            } else {
                Action::Reject { outcome: candidate }
            },
        );
        self.all_yes &= yes;
        self.voter += 1;
        if self.voter == self.n_parties {
            if self.all_yes {
                self.current = Some(candidate);
            }
            self.candidate = None;
            self.step += 1;
        }
        Ok(())
    }

    /// A party ratifies (true) or rejects the final text.
    pub fn ratify(&mut self, party: usize, yes: bool) -> Result<(), BargainError> {
        let text = match self.request() {
            Request::Ratify { party: p, text } if p == party => text,
            r => {
                return Err(BargainError::Protocol(format!(
                    "party {party} ratified but the protocol expected {r:?}"
                )))
            }
        };
        if yes {
            self.log(party, Action::Accept { outcome: text });
            self.ratified += 1;
            if self.ratified == self.n_parties {
                self.end = Some(End::Agreement { outcome: text });
            }
        } else {
            self.log(party, Action::Reject { outcome: text });
            self.end = Some(End::Broken { by: party });
        }
        Ok(())
    }

    pub fn end(&self) -> Option<End> {
        self.end
    }
    pub fn steps(&self) -> u32 {
        self.step
    }
    pub fn texts(&self) -> u32 {
        self.texts
    }
    pub fn into_trace(self) -> Vec<TraceEntry> {
        self.trace
    }
}

/// Which mediator drafts the texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MediatorKind {
    /// Every draft uniformly at random.
    Random,
    /// Change one issue of the current text to another value at random.
    HillClimb,
    /// Knows the utilities: drafts the Nash point (if any outcome is
    /// rational for all), then proposes the Nash point or the single-issue
    /// amendment that everyone gains from and that most raises the Nash
    /// product; otherwise a random single-issue change.
    Nash,
}

impl std::str::FromStr for MediatorKind {
    type Err = BargainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "random" => Ok(MediatorKind::Random),
            "hill-climb" | "hillclimb" | "hill" => Ok(MediatorKind::HillClimb),
            "nash" => Ok(MediatorKind::Nash),
            _ => Err(BargainError::UnknownMediator(
                s.into(),
                negotium_suggest::did_you_mean(s, ["random", "hill-climb", "nash"]),
            )),
        }
    }
}

/// A mediator: drafts and amends texts.
pub struct Mediator<'a> {
    kind: MediatorKind,
    domain: &'a Domain,
    space: &'a Space,
    d: Vec<f64>,
    nash: Option<OutcomeId>,
    rng: ChaCha8Rng,
}

impl<'a> Mediator<'a> {
    pub fn new(kind: MediatorKind, domain: &'a Domain, space: &'a Space, seed: u64) -> Self {
        let d = space.disagreement();
        let nash = if kind == MediatorKind::Nash {
            let f = crate::analysis::pareto_frontier(&space.utils, None);
            crate::analysis::solutions(&space.utils, &f, &d)[0]
        } else {
            None
        };
        Mediator {
            kind,
            domain,
            space,
            d,
            nash,
            rng: ChaCha8Rng::seed_from_u64(derive_seed(seed, u64::MAX)),
        }
    }

    fn nash_score(&self, o: OutcomeId) -> f64 {
        self.space
            .utils
            .iter()
            .zip(&self.d)
            .map(|(u, d)| (u[o] - d).max(1e-9))
            .product()
    }

    fn random_neighbour(&mut self, current: OutcomeId) -> OutcomeId {
        let mut vals = self.domain.decode(current);
        let movable: Vec<usize> = (0..vals.len())
            .filter(|&k| self.domain.issues[k].len() > 1)
            .collect();
        if movable.is_empty() {
            return current;
        }
        let k = movable[self.rng.random_range(0..movable.len())];
        let n = self.domain.issues[k].len();
        let shift = self.rng.random_range(1..n);
        vals[k] = (vals[k] + shift) % n;
        self.domain.encode(&vals).expect("in range")
    }

    /// The first draft: the Nash point for the Nash mediator (when one
    /// exists), otherwise a uniformly random outcome.
    pub fn draft(&mut self) -> OutcomeId {
        match (self.kind, self.nash) {
            (MediatorKind::Nash, Some(n)) => n,
            _ => self.rng.random_range(0..self.space.n_outcomes()),
        }
    }

    /// An amendment of `current`.
    pub fn amend(&mut self, current: OutcomeId) -> OutcomeId {
        match self.kind {
            MediatorKind::Random => self.rng.random_range(0..self.space.n_outcomes()),
            MediatorKind::HillClimb => self.random_neighbour(current),
            MediatorKind::Nash => {
                let improves = |o: OutcomeId| self.space.utils.iter().all(|u| u[o] > u[current]);
                if let Some(n) = self.nash {
                    if improves(n) {
                        return n;
                    }
                }
                let vals = self.domain.decode(current);
                let mut best: Option<(f64, OutcomeId)> = None;
                for (k, issue) in self.domain.issues.iter().enumerate() {
                    for v in 0..issue.len() {
                        if v == vals[k] {
                            continue;
                        }
                        let mut w = vals.clone();
                        w[k] = v;
                        let o = self.domain.encode(&w).expect("in range");
                        if improves(o) {
                            let s = self.nash_score(o);
                            if best.is_none_or(|(bs, bo)| s > bs || (s == bs && o < bo)) {
                                best = Some((s, o));
                            }
                        }
                    }
                }
                match best {
                    Some((_, o)) => o,
                    None => self.random_neighbour(current),
                }
            }
        }
    }
}

/// Runs the single-text protocol: the parties' strategies vote and ratify.
pub fn run_single_text(
    domain: &Domain,
    space: &Space,
    strategies: &mut [Box<dyn Strategy>],
    mediator: MediatorKind,
    n_steps: u32,
    seed: u64,
    record: bool,
) -> Result<RunResult, BargainError> {
    if strategies.len() != space.n_parties() {
        return Err(BargainError::Setting(format!(
            "{} strategies for {} parties; expected one per party",
            strategies.len(),
            space.n_parties()
        )));
    }
    let views = views(space, n_steps);
    let _rngs = party_rngs(seed, views.len());
    for (s, v) in strategies.iter_mut().zip(&views) {
        s.init(v);
    }
    let mut med = Mediator::new(mediator, domain, space, seed);
    let mut st = SingleText::new(space.n_parties(), n_steps, record)?;
    loop {
        let t = st.relative_time();
        match st.request() {
            Request::Done => break,
            Request::Draft => {
                let o = med.draft();
                st.mediate(o)?;
            }
            Request::Amend { current } => {
                let o = med.amend(current);
                st.mediate(o)?;
            }
            Request::Vote {
                party,
                candidate,
                current,
            } => {
                let yes = strategies[party].vote(&views[party], t, &candidate, &current);
                st.vote(party, yes)?;
            }
            Request::Ratify { party, text } => {
                let yes = strategies[party].ratify(&views[party], &text);
                st.ratify(party, yes)?;
            }
        }
    }
    let end = st.end().expect("loop ends when done");
    Ok(RunResult {
        agreement: match end {
            End::Agreement { outcome } => Some(outcome),
            _ => None,
        },
        end,
        step: st.steps(),
        offers: st.texts(),
        time: st.steps() as f64 / (n_steps as f64 + 1.0),
        seed,
        trace: st.into_trace(),
    })
}
