//! Strategies behind the [`Strategy`] trait: time-based aspiration
//! (Boulware, linear, Conceder, hard-headed, any exponent), naive
//! tit-for-tat, MiCRO and random. A strategy sees only its own utilities
//! ([`View`]) and the protocol's relative time; it never sees the others'.
//!
//! Time-based strategies follow NegMAS's polynomial aspiration exactly:
//! `a(t) = 1 − t^e`; with m = max(min utility, reservation) and M the
//! maximum, the acceptance band is `[clamp(m + a(t)(M − m) − ε, m, M), M]`
//! with ε = 1e-4; a proposal is the worst outcome in that band (ties: lowest
//! outcome id), and an offer is accepted iff its utility lies in the band.

use rand::{Rng, RngCore};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::domain::OutcomeId;
use crate::error::BargainError;

/// NegMAS's default tolerance for aspiration bands.
pub const ASPIRATION_EPS: f64 = 1e-4;

/// A party's answer to a standing offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    Accept,
    Reject,
    /// Walk away: the negotiation ends without agreement.
    End,
}

/// What a strategy may know: its own utilities and reservation, and the protocol's horizon.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// This party's index.
    pub me: usize,
    /// This party's utility of every outcome.
    pub utils: &'a [f64],
    /// Outcome ids sorted by this party's utility, ascending.
    pub order: &'a [u32],
    pub reservation: f64,
    pub min: f64,
    pub max: f64,
    pub n_parties: usize,
    pub n_steps: u32,
}

impl View<'_> {
    /// The worst outcome with utility ≥ `level` (the best outcome if none).
    pub fn worst_at_least(&self, level: f64) -> OutcomeId {
        let k = self
            .order
            .partition_point(|&o| self.utils[o as usize] < level);
        let k = k.min(self.order.len() - 1);
        // Lowest id among ties at that utility.
        let u = self.utils[self.order[k] as usize];
        let mut best = self.order[k];
        let mut j = k + 1;
        while j < self.order.len() && self.utils[self.order[j] as usize] == u {
            best = best.min(self.order[j]);
            j += 1;
        }
        best as OutcomeId
    }

    /// The best outcome (lowest id among ties).
    pub fn best(&self) -> OutcomeId {
        self.worst_at_least(self.max)
    }
}

/// A negotiation strategy. Implement it to plug your own into the protocols.
pub trait Strategy: Send {
    /// Short display name.
    fn name(&self) -> String;
    /// Called once before the negotiation starts.
    fn init(&mut self, _view: &View) {}
    /// A new offer at relative time `t` in (0, 1), or None to walk away.
    /// Offering counts as accepting, so offer only what you would accept.
    fn propose(&mut self, view: &View, t: f64, rng: &mut ChaCha8Rng) -> Option<OutcomeId>;
    /// Answer to `offer` made by party `from`.
    fn respond(
        &mut self,
        view: &View,
        t: f64,
        offer: OutcomeId,
        from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response;
    /// Single-text protocol: accept replacing `current` by `candidate`?
    /// Default: only a strict improvement (anything else is a veto).
    fn vote(&mut self, view: &View, _t: f64, candidate: OutcomeId, current: OutcomeId) -> bool {
        view.utils[candidate] > view.utils[current]
    }
    /// Single-text protocol: ratify the final text? Default: iff it is at
    /// least as good as the reservation value.
    fn ratify(&mut self, view: &View, text: OutcomeId) -> bool {
        view.utils[text] >= view.reservation
    }
}

/// Polynomial aspiration `1 − t^e` (e = ∞: hard-headed).
pub fn aspiration(t: f64, e: f64) -> f64 {
    if e.is_infinite() {
        if t >= 1.0 {
            0.0
        } else {
            1.0
        }
    } else {
        1.0 - t.powf(e)
    }
}

/// The aspiration band's lower end (see the module doc).
pub fn aspiration_floor(view: &View, t: f64, e: f64) -> f64 {
    let m = view.min.max(view.reservation);
    let mx = view.max;
    let lo = (mx - m) * aspiration(t, e) + m - ASPIRATION_EPS;
    lo.max(m).min(mx)
}

/// Time-based aspiration (Boulware e=4, linear e=1, Conceder e=0.25, hard-headed e=∞).
#[derive(Debug, Clone)]
pub struct TimeBased {
    pub exponent: f64,
    pub label: String,
}

impl Strategy for TimeBased {
    fn name(&self) -> String {
        self.label.clone()
    }
    fn propose(&mut self, view: &View, t: f64, _rng: &mut ChaCha8Rng) -> Option<OutcomeId> {
        if view.max < view.reservation {
            return None;
        }
        Some(view.worst_at_least(aspiration_floor(view, t, self.exponent)))
    }
    fn respond(
        &mut self,
        view: &View,
        t: f64,
        offer: OutcomeId,
        _from: usize,
        _rng: &mut ChaCha8Rng,
    ) -> Response {
        let u = view.utils[offer];
        if u >= aspiration_floor(view, t, self.exponent) && u >= view.reservation {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// Naive tit-for-tat: starts at its best outcome; whenever the opponent's
/// latest offer is better for it than the opponent's previous one, it lowers
/// its own target by the same utility difference; in addition it concedes
/// `kindness · (max − floor) / n_steps` every time it responds, so two
/// tit-for-tat players do not deadlock. Never below its reservation value.
/// Accepts an offer at least as good as its current target.
#[derive(Debug, Clone)]
pub struct TitForTat {
    /// Unilateral concession per response, as a fraction of the range per step.
    pub kindness: f64,
    target: Option<f64>,
    last_received: Option<f64>,
}

impl TitForTat {
    pub fn new(kindness: f64) -> Self {
        TitForTat {
            kindness,
            target: None,
            last_received: None,
        }
    }
    fn floor(view: &View) -> f64 {
        view.reservation.max(view.min)
    }
}

impl Strategy for TitForTat {
    fn name(&self) -> String {
        "tft".into()
    }
    fn propose(&mut self, view: &View, _t: f64, _rng: &mut ChaCha8Rng) -> Option<OutcomeId> {
        if view.max < view.reservation {
            return None;
        }
        let target = *self.target.get_or_insert(view.max);
        Some(view.worst_at_least(target))
    }
    fn respond(
        &mut self,
        view: &View,
        _t: f64,
        offer: OutcomeId,
        _from: usize,
        _rng: &mut ChaCha8Rng,
    ) -> Response {
        let u = view.utils[offer];
        let floor = Self::floor(view);
        let mut target = *self.target.get_or_insert(view.max);
        if let Some(prev) = self.last_received {
            if u > prev {
                target -= u - prev;
            }
        }
        target -= self.kindness * (view.max - floor) / view.n_steps.max(1) as f64;
        self.target = Some(target.max(floor));
        self.last_received = Some(u);
        if u >= self.target.unwrap_or(view.max) && u >= view.reservation {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// MiCRO (de Jonge 2022): walks down its own outcomes from the best, one
/// new outcome per distinct offer received; otherwise repeats one of its
/// earlier offers at random. Never goes below its reservation value.
/// Accepts an offer at least as good as the next outcome it would propose.
#[derive(Debug, Clone, Default)]
pub struct Micro {
    /// Number of distinct outcomes proposed so far (they are the top ones).
    proposed: usize,
    received: std::collections::BTreeSet<OutcomeId>,
}

impl Micro {
    /// The k-th best outcome (0 = best), ties by lowest id, or None past the rational ones.
    fn kth_best(view: &View, k: usize) -> Option<OutcomeId> {
        let n = view.order.len();
        if k >= n {
            return None;
        }
        let o = view.order[n - 1 - k] as OutcomeId;
        (view.utils[o] >= view.reservation).then_some(o)
    }
}

impl Strategy for Micro {
    fn name(&self) -> String {
        "micro".into()
    }
    fn propose(&mut self, view: &View, _t: f64, rng: &mut ChaCha8Rng) -> Option<OutcomeId> {
        let concede = self.proposed == 0 || self.received.len() >= self.proposed;
        if concede {
            if let Some(o) = Self::kth_best(view, self.proposed) {
                self.proposed += 1;
                return Some(o);
            }
        }
        if self.proposed == 0 {
            // No rational outcome at all: walk away.
            return None;
        }
        let k = rng.random_range(0..self.proposed);
        Self::kth_best(view, k)
    }
    fn respond(
        &mut self,
        view: &View,
        _t: f64,
        offer: OutcomeId,
        _from: usize,
        _rng: &mut ChaCha8Rng,
    ) -> Response {
        self.received.insert(offer);
        let next_k = if self.received.len() >= self.proposed {
            self.proposed
        } else {
            self.proposed.saturating_sub(1)
        };
        let bar = Self::kth_best(view, next_k)
            .or_else(|| Self::kth_best(view, self.proposed.saturating_sub(1)))
            .map(|o| view.utils[o])
            .unwrap_or(f64::INFINITY);
        if view.utils[offer] >= bar && view.utils[offer] >= view.reservation {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// Random: offers a uniformly random outcome it finds rational (walks away
/// if none is) and accepts a rational offer with probability `p_accept`.
#[derive(Debug, Clone)]
pub struct RandomStrategy {
    pub p_accept: f64,
}

impl Strategy for RandomStrategy {
    fn name(&self) -> String {
        "random".into()
    }
    fn propose(&mut self, view: &View, _t: f64, rng: &mut ChaCha8Rng) -> Option<OutcomeId> {
        let k = view
            .order
            .partition_point(|&o| view.utils[o as usize] < view.reservation);
        let n = view.order.len();
        (k < n).then(|| view.order[rng.random_range(k..n)] as OutcomeId)
    }
    fn respond(
        &mut self,
        view: &View,
        _t: f64,
        offer: OutcomeId,
        _from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response {
        if view.utils[offer] >= view.reservation && rng.random::<f64>() < self.p_accept {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// A named built-in strategy, parsed from `boulware`, `linear`, `conceder`,
/// `hardheaded`, `aspiration:E`, `tft`, `micro`, `random`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StrategySpec {
    Aspiration { label: String, exponent: f64 },
    TitForTat,
    Micro,
    Random,
}

impl StrategySpec {
    /// Every named built-in (for tournaments' defaults and help texts).
    pub fn builtins() -> Vec<StrategySpec> {
        [
            "boulware",
            "linear",
            "conceder",
            "hardheaded",
            "tft",
            "micro",
            "random",
        ]
        .iter()
        .map(|s| s.parse().expect("built-in names parse"))
        .collect()
    }

    pub fn name(&self) -> String {
        match self {
            StrategySpec::Aspiration { label, .. } => label.clone(),
            StrategySpec::TitForTat => "tft".into(),
            StrategySpec::Micro => "micro".into(),
            StrategySpec::Random => "random".into(),
        }
    }

    /// A fresh strategy instance.
    pub fn build(&self) -> Box<dyn Strategy> {
        match self {
            StrategySpec::Aspiration { label, exponent } => Box::new(TimeBased {
                exponent: *exponent,
                label: label.clone(),
            }),
            StrategySpec::TitForTat => Box::new(TitForTat::new(0.5)),
            StrategySpec::Micro => Box::new(Micro::default()),
            StrategySpec::Random => Box::new(RandomStrategy { p_accept: 0.5 }),
        }
    }
}

impl std::str::FromStr for StrategySpec {
    type Err = BargainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let asp = |label: &str, e: f64| StrategySpec::Aspiration {
            label: label.into(),
            exponent: e,
        };
        Ok(match lower.as_str() {
            "boulware" => asp("boulware", 4.0),
            "linear" => asp("linear", 1.0),
            "conceder" => asp("conceder", 0.25),
            "hardheaded" | "hard-headed" => asp("hardheaded", f64::INFINITY),
            "tft" | "tit-for-tat" | "titfortat" => StrategySpec::TitForTat,
            "micro" => StrategySpec::Micro,
            "random" => StrategySpec::Random,
            other => {
                if let Some(e) = other.strip_prefix("aspiration:") {
                    match e.parse::<f64>() {
                        Ok(e) if e > 0.0 => asp(&format!("aspiration:{e}"), e),
                        _ => return Err(BargainError::UnknownStrategy(s.into())),
                    }
                } else {
                    return Err(BargainError::UnknownStrategy(s.into()));
                }
            }
        })
    }
}

/// A deterministic per-job seed from a base seed and a job index (SplitMix64).
pub fn derive_seed(base: u64, index: u64) -> u64 {
    let mut z = base
        .wrapping_add(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(index.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Draws a `u64` (helper so callers need not import rand traits).
pub fn next_u64(rng: &mut ChaCha8Rng) -> u64 {
    rng.next_u64()
}
