//! Stacked alternating offers (SAO) as a sans-IO state machine, bilateral or
//! multilateral, and a pure driver that runs it with [`Strategy`] objects.
//!
//! Semantics (NegMAS's `SAOMechanism` defaults): parties act in a fixed
//! round-robin order; one *step* is one round in which every party acts
//! once. Party 0 opens with an offer; each following party either accepts
//! the standing offer or rejects it and must then make a counter-offer,
//! which becomes the standing offer. Offering counts as accepting one's own
//! offer, so an offer is agreed when all the other parties have accepted it
//! in turn. Relative time during step s (0-based) of N is `(s + 1)/(N + 1)`.
//! After N steps without agreement the negotiation times out; a party may
//! also end it. The reported `step` is the number of steps used.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::domain::OutcomeId;
use crate::error::BargainError;
use crate::outcome::Outcome;
use crate::space::Space;
use crate::strategy::{derive_seed, PartyView, Response, Strategy, View};

/// What the state machine needs next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request<O = OutcomeId> {
    Propose { party: usize },
    Respond { party: usize, offer: O, from: usize },
    Done,
}

/// How a negotiation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum End<O = OutcomeId> {
    Agreement { outcome: O },
    Timeout,
    Broken { by: usize },
}

/// One recorded action.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TraceEntry<O = OutcomeId> {
    pub step: u32,
    pub time: f64,
    pub party: usize,
    pub action: Action<O>,
}

/// What a party did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Action<O = OutcomeId> {
    Offer { outcome: O },
    Accept { outcome: O },
    Reject { outcome: O },
    End,
}

/// The SAO state machine.
#[derive(Debug, Clone)]
pub struct Sao<O = OutcomeId> {
    n_parties: usize,
    n_steps: u32,
    step: u32,
    turn: usize,
    awaiting_counter: bool,
    current: Option<(O, usize)>,
    acceptances: usize,
    offers: u32,
    end: Option<End<O>>,
    record: bool,
    trace: Vec<TraceEntry<O>>,
}

impl<O: Outcome> Sao<O> {
    /// A negotiation among `n_parties` (≥ 2) over at most `n_steps` (≥ 1) rounds.
    pub fn new(n_parties: usize, n_steps: u32, record: bool) -> Result<Sao<O>, BargainError> {
        crate::error::check_protocol_setup(n_parties, n_steps)?;
        Ok(Sao {
            n_parties,
            n_steps,
            step: 0,
            turn: 0,
            awaiting_counter: false,
            current: None,
            acceptances: 0,
            offers: 0,
            end: None,
            record,
            trace: Vec::new(),
        })
    }

    /// Relative time of the current step: `(step + 1) / (n_steps + 1)`.
    pub fn relative_time(&self) -> f64 {
        (self.step as f64 + 1.0) / (self.n_steps as f64 + 1.0)
    }

    /// The next thing the caller must supply.
    pub fn request(&self) -> Request<O> {
        if self.end.is_some() {
            return Request::Done;
        }
        match &self.current {
            Some((offer, from)) if !self.awaiting_counter => Request::Respond {
                party: self.turn,
                offer: offer.clone(),
                from: *from,
            },
            _ => Request::Propose { party: self.turn },
        }
    }

    fn log(&mut self, party: usize, action: Action<O>) {
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

    fn advance(&mut self) {
        self.turn += 1;
        if self.turn == self.n_parties {
            self.turn = 0;
            self.step += 1;
            if self.step >= self.n_steps {
                self.end = Some(End::Timeout);
            }
        }
    }

    /// Party `party` makes an offer (must be its turn to propose).
    pub fn propose(&mut self, party: usize, outcome: O) -> Result<(), BargainError> {
        match self.request() {
            Request::Propose { party: p } if p == party => {}
            r => {
                return Err(BargainError::Protocol(format!(
                    "party {party} proposed but the protocol expected {r:?}"
                )))
            }
        }
        if self.record {
            self.log(
                party,
                Action::Offer {
                    outcome: outcome.clone(),
                },
            );
        }
        self.current = Some((outcome, party));
        self.acceptances = 1;
        self.offers += 1;
        self.awaiting_counter = false;
        self.advance();
        Ok(())
    }

    /// Party `party` answers the standing offer (must be its turn to respond).
    pub fn respond(&mut self, party: usize, response: Response) -> Result<(), BargainError> {
        let offer = match self.request() {
            Request::Respond {
                party: p, offer, ..
            } if p == party => offer,
            r => {
                return Err(BargainError::Protocol(format!(
                    "party {party} responded but the protocol expected {r:?}"
                )))
            }
        };
        match response {
            Response::Accept => {
                self.acceptances += 1;
                if self.acceptances == self.n_parties {
                    self.log(
                        party,
                        Action::Accept {
                            outcome: offer.clone(),
                        },
                    );
                    self.end = Some(End::Agreement { outcome: offer });
                    self.step += 1;
                } else {
                    self.log(party, Action::Accept { outcome: offer });
                    self.advance();
                }
            }
            Response::Reject => {
                self.log(party, Action::Reject { outcome: offer });
                self.awaiting_counter = true;
            }
            Response::End => {
                self.log(party, Action::End);
                self.end = Some(End::Broken { by: party });
                self.step += 1;
            }
        }
        Ok(())
    }

    /// Party `party`, due to propose, ends the negotiation instead.
    pub fn walk_away(&mut self, party: usize) -> Result<(), BargainError> {
        match self.request() {
            Request::Propose { party: p } if p == party => {}
            r => {
                return Err(BargainError::Protocol(format!(
                    "party {party} walked away but the protocol expected {r:?}"
                )))
            }
        }
        self.log(party, Action::End);
        self.end = Some(End::Broken { by: party });
        self.step += 1;
        Ok(())
    }

    pub fn end(&self) -> Option<End<O>> {
        self.end.clone()
    }
    /// Steps used so far (after the end: the number of steps the negotiation took).
    pub fn steps(&self) -> u32 {
        self.step
    }
    pub fn offers(&self) -> u32 {
        self.offers
    }
    pub fn trace(&self) -> &[TraceEntry<O>] {
        &self.trace
    }
    pub fn into_trace(self) -> Vec<TraceEntry<O>> {
        self.trace
    }
}

/// The result of a driven negotiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult<O = OutcomeId> {
    pub agreement: Option<O>,
    pub end: End<O>,
    /// Steps used.
    pub step: u32,
    /// Offers made (SAO) or texts proposed (single text).
    pub offers: u32,
    /// Relative time at the end.
    pub time: f64,
    pub seed: u64,
    pub trace: Vec<TraceEntry<O>>,
}

/// Per-party views of an evaluated space.
pub fn views(space: &Space, n_steps: u32) -> Vec<View<'_>> {
    (0..space.n_parties())
        .map(|p| View {
            me: p,
            utils: &space.utils[p],
            order: &space.order[p],
            reservation: space.reservation[p],
            min: space.min[p],
            max: space.max[p],
            n_parties: space.n_parties(),
            n_steps,
            sizes: &space.sizes,
            discount: space.discount[p],
        })
        .collect()
}

/// One generator per party, derived from `seed`.
pub fn party_rngs(seed: u64, n: usize) -> Vec<ChaCha8Rng> {
    (0..n)
        .map(|p| ChaCha8Rng::seed_from_u64(derive_seed(seed, p as u64)))
        .collect()
}

/// Runs SAO with one strategy per party (in party order) over an enumerated space.
pub fn run_sao(
    space: &Space,
    strategies: &mut [Box<dyn Strategy>],
    n_steps: u32,
    seed: u64,
    record: bool,
) -> Result<RunResult, BargainError> {
    let views = views(space, n_steps);
    let dyn_views: Vec<&dyn PartyView<OutcomeId>> = views
        .iter()
        .map(|v| v as &dyn PartyView<OutcomeId>)
        .collect();
    let n = space.n_outcomes();
    run_sao_with(&dyn_views, strategies, n_steps, seed, record, |o| *o < n)
}

/// Runs SAO over any outcome representation: one view and one strategy per
/// party (in party order); `valid` rejects outcomes outside the space.
pub fn run_sao_with<O: Outcome>(
    views: &[&dyn PartyView<O>],
    strategies: &mut [Box<dyn Strategy<O>>],
    n_steps: u32,
    seed: u64,
    record: bool,
    valid: impl Fn(&O) -> bool,
) -> Result<RunResult<O>, BargainError> {
    if strategies.len() != views.len() {
        return Err(BargainError::Setting(format!(
            "{} strategies for {} parties; expected one per party",
            strategies.len(),
            views.len()
        )));
    }
    let mut rngs = party_rngs(seed, views.len());
    for (s, v) in strategies.iter_mut().zip(views) {
        s.init(*v);
    }
    let mut sao = Sao::new(views.len(), n_steps, record)?;
    loop {
        let t = sao.relative_time();
        match sao.request() {
            Request::Done => break,
            Request::Propose { party } => {
                let Some(o) = strategies[party].propose(views[party], t, &mut rngs[party]) else {
                    sao.walk_away(party)?;
                    continue;
                };
                if !valid(&o) {
                    return Err(BargainError::Protocol(format!(
                        "strategy `{}` proposed {o:?}, which is not an outcome of the space",
                        strategies[party].name(),
                    )));
                }
                sao.propose(party, o)?;
            }
            Request::Respond { party, offer, from } => {
                let r = strategies[party].respond(views[party], t, &offer, from, &mut rngs[party]);
                sao.respond(party, r)?;
            }
        }
    }
    let end = sao.end().expect("loop ends when done");
    Ok(RunResult {
        agreement: match &end {
            End::Agreement { outcome } => Some(outcome.clone()),
            _ => None,
        },
        end,
        step: sao.steps(),
        offers: sao.offers(),
        time: (sao.steps() as f64) / (n_steps as f64 + 1.0),
        seed,
        trace: sao.into_trace(),
    })
}
