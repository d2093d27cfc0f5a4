//! Strategies behind the [`Strategy`] trait: time-based aspiration
//! (Boulware, linear, Conceder, tough, any exponent), naive tit-for-tat,
//! MiCRO and random; the ANAC agents of [`crate::agents`] are built here too. A strategy sees only its own utilities
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
use crate::outcome::Outcome;

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

/// Everything a strategy may know and ask: its own utility function (never
/// the others'), its reservation value and discount, the protocol's horizon,
/// and searches over its own preferences. Implemented by [`View`] for
/// enumerated spaces (exact, by presorted outcomes) and by
/// [`crate::implicit::ImplicitView`] for spaces too large to enumerate
/// (per-issue search; see that module for the stated error bounds).
pub trait PartyView<O> {
    /// This party's index.
    fn me(&self) -> usize;
    fn n_parties(&self) -> usize;
    /// The protocol's number of steps.
    fn n_steps(&self) -> u32;
    /// Utility of the best alternative to agreement.
    fn reservation(&self) -> f64;
    /// Minimum utility over the space (for implicit non-linear spaces: the lowest found).
    fn min(&self) -> f64;
    /// Maximum utility over the space (for implicit non-linear spaces: the highest found).
    fn max(&self) -> f64;
    /// GENIUS-style discount factor δ in (0, 1].
    fn discount(&self) -> f64 {
        1.0
    }
    /// Number of outcomes (as a float: implicit spaces may exceed any integer type).
    fn n_outcomes(&self) -> f64;
    /// Number of values of each issue.
    fn issue_sizes(&self) -> &[usize];
    /// This party's utility of an outcome.
    fn utility(&self, o: &O) -> f64;
    /// The value index chosen on every issue.
    fn values(&self, o: &O) -> Vec<usize>;
    /// The outcome with these value indices (None if out of range).
    fn outcome(&self, values: &[usize]) -> Option<O>;
    /// The worst outcome with utility ≥ `level` (the best outcome if none).
    fn worst_at_least(&self, level: f64) -> O;
    /// The best outcome.
    fn best(&self) -> O {
        self.worst_at_least(self.max())
    }
    /// The k-th best outcome (0 = the best), None past the last one.
    fn kth_best(&self, k: usize) -> Option<O>;
    /// A random outcome with utility ≥ `level`, None if there is none.
    fn random_at_least(&self, level: f64, rng: &mut ChaCha8Rng) -> Option<O>;
    /// Up to `max` distinct outcomes with utility in `[lo, hi]`, lowest utility first.
    fn band(&self, lo: f64, hi: f64, max: usize, rng: &mut ChaCha8Rng) -> Vec<O>;
}

/// What a strategy sees of an enumerated space: its own utilities and
/// reservation, and the protocol's horizon.
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
    /// Number of values of each issue (mixed-radix, last issue fastest).
    pub sizes: &'a [usize],
    /// Discount factor δ.
    pub discount: f64,
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

impl PartyView<OutcomeId> for View<'_> {
    fn me(&self) -> usize {
        self.me
    }
    fn n_parties(&self) -> usize {
        self.n_parties
    }
    fn n_steps(&self) -> u32 {
        self.n_steps
    }
    fn reservation(&self) -> f64 {
        self.reservation
    }
    fn min(&self) -> f64 {
        self.min
    }
    fn max(&self) -> f64 {
        self.max
    }
    fn discount(&self) -> f64 {
        self.discount
    }
    fn n_outcomes(&self) -> f64 {
        self.utils.len() as f64
    }
    fn issue_sizes(&self) -> &[usize] {
        self.sizes
    }
    fn utility(&self, o: &OutcomeId) -> f64 {
        self.utils[*o]
    }
    fn values(&self, o: &OutcomeId) -> Vec<usize> {
        let mut id = *o;
        let mut out = vec![0; self.sizes.len()];
        for (k, n) in self.sizes.iter().enumerate().rev() {
            out[k] = id % n;
            id /= n;
        }
        out
    }
    fn outcome(&self, values: &[usize]) -> Option<OutcomeId> {
        if values.len() != self.sizes.len() {
            return None;
        }
        let mut id = 0usize;
        for (&n, &v) in self.sizes.iter().zip(values) {
            if v >= n {
                return None;
            }
            id = id * n + v;
        }
        Some(id)
    }
    fn worst_at_least(&self, level: f64) -> OutcomeId {
        View::worst_at_least(self, level)
    }
    fn best(&self) -> OutcomeId {
        View::best(self)
    }
    /// In the presorted order from the top (among equal utilities the
    /// highest id comes first).
    fn kth_best(&self, k: usize) -> Option<OutcomeId> {
        let n = self.order.len();
        (k < n).then(|| self.order[n - 1 - k] as OutcomeId)
    }
    /// Uniform over the outcomes with utility ≥ `level` (exact).
    fn random_at_least(&self, level: f64, rng: &mut ChaCha8Rng) -> Option<OutcomeId> {
        let k = self
            .order
            .partition_point(|&o| self.utils[o as usize] < level);
        let n = self.order.len();
        (k < n).then(|| self.order[rng.random_range(k..n)] as OutcomeId)
    }
    /// Every outcome in the band if there are at most `max`, otherwise `max`
    /// of them evenly spaced in utility order (deterministic).
    fn band(&self, lo: f64, hi: f64, max: usize, _rng: &mut ChaCha8Rng) -> Vec<OutcomeId> {
        let a = self.order.partition_point(|&o| self.utils[o as usize] < lo);
        let b = self
            .order
            .partition_point(|&o| self.utils[o as usize] <= hi);
        if b <= a || max == 0 {
            return Vec::new();
        }
        let n = b - a;
        if n <= max {
            return self.order[a..b].iter().map(|&o| o as OutcomeId).collect();
        }
        (0..max)
            .map(|i| self.order[a + i * (n - 1) / (max - 1).max(1)] as OutcomeId)
            .collect()
    }
}

/// A negotiation strategy over outcomes of type `O` (an enumerated
/// [`OutcomeId`] by default, or an implicit [`crate::Bid`]). Implement it to
/// plug your own into the protocols.
pub trait Strategy<O = OutcomeId>: Send {
    /// Short display name.
    fn name(&self) -> String;
    /// Called once before the negotiation starts.
    fn init(&mut self, _view: &dyn PartyView<O>) {}
    /// A new offer at relative time `t` in (0, 1), or None to walk away.
    /// Offering counts as accepting, so offer only what you would accept.
    fn propose(&mut self, view: &dyn PartyView<O>, t: f64, rng: &mut ChaCha8Rng) -> Option<O>;
    /// Answer to `offer` made by party `from`.
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        t: f64,
        offer: &O,
        from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response;
    /// Single-text protocol: accept replacing `current` by `candidate`?
    /// Default: only a strict improvement (anything else is a veto).
    fn vote(&mut self, view: &dyn PartyView<O>, _t: f64, candidate: &O, current: &O) -> bool {
        view.utility(candidate) > view.utility(current)
    }
    /// Single-text protocol: ratify the final text? Default: iff it is at
    /// least as good as the reservation value.
    fn ratify(&mut self, view: &dyn PartyView<O>, text: &O) -> bool {
        view.utility(text) >= view.reservation()
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
pub fn aspiration_floor<O>(view: &dyn PartyView<O>, t: f64, e: f64) -> f64 {
    let m = view.min().max(view.reservation());
    let mx = view.max();
    let lo = (mx - m) * aspiration(t, e) + m - ASPIRATION_EPS;
    lo.max(m).min(mx)
}

/// Time-based aspiration (Boulware e=4, linear e=1, Conceder e=0.25, tough e=∞).
#[derive(Debug, Clone)]
pub struct TimeBased {
    pub exponent: f64,
    pub label: String,
}

impl<O: Outcome> Strategy<O> for TimeBased {
    fn name(&self) -> String {
        self.label.clone()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, t: f64, _rng: &mut ChaCha8Rng) -> Option<O> {
        if view.max() < view.reservation() {
            return None;
        }
        Some(view.worst_at_least(aspiration_floor(view, t, self.exponent)))
    }
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        t: f64,
        offer: &O,
        _from: usize,
        _rng: &mut ChaCha8Rng,
    ) -> Response {
        let u = view.utility(offer);
        if u >= aspiration_floor(view, t, self.exponent) && u >= view.reservation() {
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
    fn floor<O>(view: &dyn PartyView<O>) -> f64 {
        view.reservation().max(view.min())
    }
}

impl<O: Outcome> Strategy<O> for TitForTat {
    fn name(&self) -> String {
        "tft".into()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, _t: f64, _rng: &mut ChaCha8Rng) -> Option<O> {
        if view.max() < view.reservation() {
            return None;
        }
        let target = *self.target.get_or_insert(view.max());
        Some(view.worst_at_least(target))
    }
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        _t: f64,
        offer: &O,
        _from: usize,
        _rng: &mut ChaCha8Rng,
    ) -> Response {
        let u = view.utility(offer);
        let floor = Self::floor(view);
        let mut target = *self.target.get_or_insert(view.max());
        if let Some(prev) = self.last_received {
            if u > prev {
                target -= u - prev;
            }
        }
        target -= self.kindness * (view.max() - floor) / view.n_steps().max(1) as f64;
        self.target = Some(target.max(floor));
        self.last_received = Some(u);
        if u >= self.target.unwrap_or(view.max()) && u >= view.reservation() {
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
#[derive(Debug, Clone)]
pub struct Micro<O> {
    /// Number of distinct outcomes proposed so far (they are the top ones).
    proposed: usize,
    received: std::collections::BTreeSet<O>,
}

impl<O> Default for Micro<O> {
    fn default() -> Self {
        Micro {
            proposed: 0,
            received: std::collections::BTreeSet::new(),
        }
    }
}

impl<O: Outcome> Micro<O> {
    /// The k-th best outcome (0 = best), or None past the rational ones.
    fn kth_best(view: &dyn PartyView<O>, k: usize) -> Option<O> {
        view.kth_best(k)
            .filter(|o| view.utility(o) >= view.reservation())
    }
    /// Distinct outcomes proposed so far.
    pub fn proposed(&self) -> usize {
        self.proposed
    }
    /// Distinct offers received so far.
    pub fn received(&self) -> usize {
        self.received.len()
    }
}

impl<O: Outcome> Strategy<O> for Micro<O> {
    fn name(&self) -> String {
        "micro".into()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, _t: f64, rng: &mut ChaCha8Rng) -> Option<O> {
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
        view: &dyn PartyView<O>,
        _t: f64,
        offer: &O,
        _from: usize,
        _rng: &mut ChaCha8Rng,
    ) -> Response {
        self.received.insert(offer.clone());
        let next_k = if self.received.len() >= self.proposed {
            self.proposed
        } else {
            self.proposed.saturating_sub(1)
        };
        let bar = Self::kth_best(view, next_k)
            .or_else(|| Self::kth_best(view, self.proposed.saturating_sub(1)))
            .map(|o| view.utility(&o))
            .unwrap_or(f64::INFINITY);
        let u = view.utility(offer);
        if u >= bar && u >= view.reservation() {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// Random: offers a random outcome it finds rational (walks away if none
/// is; uniform on enumerated spaces, see [`PartyView::random_at_least`]) and
/// accepts a rational offer with probability `p_accept`.
#[derive(Debug, Clone)]
pub struct RandomStrategy {
    pub p_accept: f64,
}

impl<O: Outcome> Strategy<O> for RandomStrategy {
    fn name(&self) -> String {
        "random".into()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, _t: f64, rng: &mut ChaCha8Rng) -> Option<O> {
        view.random_at_least(view.reservation(), rng)
    }
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        _t: f64,
        offer: &O,
        _from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response {
        if view.utility(offer) >= view.reservation() && rng.random::<f64>() < self.p_accept {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// A named built-in strategy, parsed from `boulware`, `linear`, `conceder`,
/// `tough`, `aspiration:E`, `tft`, `micro`, `random`, `hardheaded`,
/// `agentk`, `nicetft`, `cuhk`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StrategySpec {
    Aspiration {
        label: String,
        exponent: f64,
    },
    TitForTat,
    Micro,
    Random,
    /// ANAC 2011 HardHeaded ([`crate::agents::HardHeaded`]).
    HardHeaded,
    /// ANAC 2010 AgentK ([`crate::agents::AgentK`]).
    AgentK,
    /// ANAC 2011 Nice Tit-for-Tat ([`crate::agents::NiceTitForTat`]).
    NiceTitForTat,
    /// CUHKAgent-style frequency-model agent ([`crate::agents::CuhkStyle`]).
    Cuhk,
}

impl StrategySpec {
    /// Parses a built-in name; panics on an unknown one (for fixed names in code).
    pub fn from_name(name: &str) -> StrategySpec {
        name.parse()
            .unwrap_or_else(|e| panic!("built-in strategy `{name}`: {e}"))
    }

    /// Every named built-in (for tournaments' defaults and help texts).
    pub fn builtins() -> Vec<StrategySpec> {
        [
            "boulware",
            "linear",
            "conceder",
            "tough",
            "tft",
            "micro",
            "random",
            "hardheaded",
            "agentk",
            "nicetft",
            "cuhk",
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
            StrategySpec::HardHeaded => "hardheaded".into(),
            StrategySpec::AgentK => "agentk".into(),
            StrategySpec::NiceTitForTat => "nicetft".into(),
            StrategySpec::Cuhk => "cuhk".into(),
        }
    }

    /// A fresh strategy instance, for enumerated ([`OutcomeId`]) or implicit
    /// ([`crate::Bid`]) outcomes.
    pub fn build<O: Outcome>(&self) -> Box<dyn Strategy<O>> {
        match self {
            StrategySpec::Aspiration { label, exponent } => Box::new(TimeBased {
                exponent: *exponent,
                label: label.clone(),
            }),
            StrategySpec::TitForTat => Box::new(TitForTat::new(0.5)),
            StrategySpec::Micro => Box::new(Micro::default()),
            StrategySpec::Random => Box::new(RandomStrategy { p_accept: 0.5 }),
            StrategySpec::HardHeaded => Box::<crate::agents::HardHeaded<O>>::default(),
            StrategySpec::AgentK => Box::<crate::agents::AgentK<O>>::default(),
            StrategySpec::NiceTitForTat => Box::<crate::agents::NiceTitForTat<O>>::default(),
            StrategySpec::Cuhk => Box::<crate::agents::CuhkStyle<O>>::default(),
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
            "tough" | "aspiration:inf" => asp("tough", f64::INFINITY),
            "hardheaded" | "hard-headed" => StrategySpec::HardHeaded,
            "agentk" | "agent-k" | "agent_k" => StrategySpec::AgentK,
            "nicetft" | "nice-tft" | "nicetitfortat" | "nice-tit-for-tat" => {
                StrategySpec::NiceTitForTat
            }
            "cuhk" | "cuhkagent" => StrategySpec::Cuhk,
            "tft" | "tit-for-tat" | "titfortat" => StrategySpec::TitForTat,
            "micro" => StrategySpec::Micro,
            "random" => StrategySpec::Random,
            other => {
                if let Some(e) = other.strip_prefix("aspiration:") {
                    match e.parse::<f64>() {
                        Ok(e) if e > 0.0 => asp(&format!("aspiration:{e}"), e),
                        _ => {
                            return Err(BargainError::UnknownStrategy(
                                s.into(),
                                negotium_suggest::did_you_mean(s, STRATEGY_NAMES),
                            ))
                        }
                    }
                } else {
                    return Err(BargainError::UnknownStrategy(
                        s.into(),
                        negotium_suggest::did_you_mean(s, STRATEGY_NAMES),
                    ));
                }
            }
        })
    }
}

/// The built-in strategies' names (besides `aspiration:E`), for suggestions.
pub const STRATEGY_NAMES: [&str; 11] = [
    "boulware",
    "linear",
    "conceder",
    "tough",
    "tft",
    "micro",
    "random",
    "hardheaded",
    "agentk",
    "nicetft",
    "cuhk",
];

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
