//! Agents from the Automated Negotiating Agents Competition (ANAC) that
//! research compares against, written from their published descriptions
//! (sources in docs/bargaining.md): HardHeaded (ANAC 2011), AgentK (2010),
//! Nice Tit-for-Tat (2011) and a CUHKAgent-style frequency-model agent
//! (2012). Each works on any [`PartyView`] — enumerated or implicit — and
//! never offers or accepts below its reservation value.
//!
//! Utilities inside the agents are on the party's own scale; where a paper's
//! formula assumes utilities in [0, 1] with 1 the best, it is applied to the
//! min–max normalised utility `x = (u − min)/(max − min)`.

use std::collections::VecDeque;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::outcome::Outcome;
use crate::strategy::{PartyView, Response, Strategy};

fn norm<O>(view: &dyn PartyView<O>, u: f64) -> f64 {
    let (lo, hi) = (view.min(), view.max());
    if hi > lo {
        (u - lo) / (hi - lo)
    } else {
        1.0
    }
}

fn level<O>(view: &dyn PartyView<O>, x: f64) -> f64 {
    view.min() + x * (view.max() - view.min())
}

/// A frequency opponent model (the HardHeaded learner, also used by
/// CUHKAgent and Atlas3 in variants): issue weights start equal; after each
/// opponent bid, issues whose value did not change since its previous bid
/// gain `0.2/n` before renormalising (an opponent keeps what matters to it);
/// each value's score is how often the opponent offered it, divided by the
/// issue's most frequent count. Estimated utility `Σ wᵢ · countᵢ(v)/maxᵢ`.
#[derive(Debug, Clone)]
pub struct FrequencyModel {
    pub weights: Vec<f64>,
    pub counts: Vec<Vec<f64>>,
    last: Option<Vec<usize>>,
}

impl FrequencyModel {
    pub fn new(sizes: &[usize]) -> FrequencyModel {
        let n = sizes.len().max(1);
        FrequencyModel {
            weights: vec![1.0 / n as f64; sizes.len()],
            counts: sizes.iter().map(|&k| vec![0.0; k]).collect(),
            last: None,
        }
    }

    /// Learns from one opponent bid.
    pub fn update(&mut self, values: &[usize]) {
        let n = values.len() as f64;
        if let Some(last) = &self.last {
            let golden = 0.2 / n;
            let unchanged = last.iter().zip(values).filter(|(a, b)| a == b).count() as f64;
            let total = 1.0 + golden * unchanged;
            let max_w = 1.0 - n * golden / total;
            for (k, w) in self.weights.iter_mut().enumerate() {
                if last[k] == values[k] && *w < max_w {
                    *w = (*w + golden) / total;
                } else {
                    *w /= total;
                }
            }
        }
        for (k, &v) in values.iter().enumerate() {
            self.counts[k][v] += 1.0;
        }
        self.last = Some(values.to_vec());
    }

    /// Estimated opponent utility of an outcome, in [0, 1].
    pub fn utility(&self, values: &[usize]) -> f64 {
        let mut s = 0.0;
        for ((w, c), &v) in self.weights.iter().zip(&self.counts).zip(values) {
            let m = c.iter().cloned().fold(0.0, f64::max);
            if m > 0.0 {
                s += w * c[v] / m;
            }
        }
        s
    }

    /// The candidate the model rates highest (ties: earliest).
    pub fn best_of<O: Clone>(&self, view: &dyn PartyView<O>, cands: &[O]) -> Option<O> {
        let mut best: Option<(f64, &O)> = None;
        for c in cands {
            let s = self.utility(&view.values(c));
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, c));
            }
        }
        best.map(|(_, c)| c.clone())
    }
}

/// HardHeaded (van Krimpen, Looije & Hajizadeh 2013; ANAC 2011 winner).
///
/// Target `p(t) = m + (1 − F(t))(M − m)` with `F(t) = k + (1 − k)·t^(1/e)`,
/// k = 0.05, e = 0.05 (strongly Boulware; the discounted variants of the
/// paper for δ < 0.9), M its best utility and m the higher of its
/// reservation value and 0.585 of its utility range (the ANAC code's
/// floor). It walks down its own ranking of outcomes: each round it takes
/// the next outcomes within 0.01 of each other and at or above p(t), and
/// offers the (at most 4) its frequency opponent model rates highest; when
/// the next outcome falls below p(t) it repeats one of its earlier offers;
/// if the opponent once offered something better than its next offer, it
/// offers that instead. It accepts an offer better than the lowest it has
/// offered, or at least as good as its next offer.
#[derive(Debug, Clone)]
pub struct HardHeaded<O> {
    model: Option<FrequencyModel>,
    rank: usize,
    queue: VecDeque<O>,
    mine: Vec<O>,
    lowest: f64,
    best_opp: Option<(f64, O)>,
    started: bool,
}

impl<O> Default for HardHeaded<O> {
    fn default() -> Self {
        HardHeaded {
            model: None,
            rank: 0,
            queue: VecDeque::new(),
            mine: Vec::new(),
            lowest: f64::INFINITY,
            best_opp: None,
            started: false,
        }
    }
}

/// HardHeaded's concession parameters.
pub const HARDHEADED_KA: f64 = 0.05;
pub const HARDHEADED_E: f64 = 0.05;
pub const HARDHEADED_FLOOR: f64 = 0.585;
/// Most outcomes HardHeaded takes from its ranking per round (the ANAC code
/// takes every outcome within the 0.01 tolerance; spaces too large to
/// enumerate can hold astronomically many).
pub const HARDHEADED_MAX_CANDIDATES: usize = 16;

impl<O: Outcome> HardHeaded<O> {
    /// The lowest utility it will ever offer or accept.
    pub fn floor(view: &dyn PartyView<O>) -> f64 {
        view.reservation().max(level(view, HARDHEADED_FLOOR))
    }

    /// The target utility at time t.
    pub fn target(view: &dyn PartyView<O>, t: f64) -> f64 {
        let (mx, mn) = (view.max(), Self::floor(view));
        let d = view.discount();
        let f = |t: f64, e: f64| {
            HARDHEADED_KA + (1.0 - HARDHEADED_KA) * t.clamp(0.0, 1.0).powf(1.0 / e)
        };
        let p = if d >= 0.9 {
            mn + (1.0 - f(t / d, HARDHEADED_E)) * (mx - mn)
        } else if t <= d {
            let lo = mn + (mx - mn).abs() * d;
            lo + (1.0 - f(t / d, HARDHEADED_E / d)) * (mx - lo)
        } else {
            let hi = mn + (mx - mn).abs() * d;
            mn + (1.0 - f((t - d) / (1.0 - d), 30.0)) * (hi - mn)
        };
        p.max(mn)
    }

    fn plan(&mut self, view: &dyn PartyView<O>, t: f64, rng: &mut ChaCha8Rng) {
        if !self.queue.is_empty() {
            return;
        }
        if !self.started {
            self.started = true;
            self.queue.push_back(view.best());
            return;
        }
        let p = Self::target(view, t);
        let first = view.kth_best(self.rank + 1);
        match first {
            Some(o) if view.utility(&o) >= p => {
                let u0 = view.utility(&o);
                let mut cands = vec![o];
                self.rank += 1;
                while cands.len() < HARDHEADED_MAX_CANDIDATES {
                    let Some(c) = view.kth_best(self.rank + 1) else {
                        break;
                    };
                    let u = view.utility(&c);
                    if u0 - u >= 0.01 * (view.max() - view.min()) || u < p {
                        break;
                    }
                    cands.push(c);
                    self.rank += 1;
                }
                if cands.len() <= 4 {
                    self.queue.extend(cands);
                } else {
                    let model = self.model.as_ref();
                    let mut scored: Vec<(f64, usize)> = cands
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (model.map_or(0.0, |m| m.utility(&view.values(c))), i))
                        .collect();
                    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    for &(_, i) in scored.iter().take(4) {
                        self.queue.push_back(cands[i].clone());
                    }
                }
            }
            _ => {
                // Below the target (or past the end): repeat an earlier offer.
                let o = if self.mine.is_empty() {
                    view.best()
                } else {
                    self.mine[rng.random_range(0..self.mine.len())].clone()
                };
                self.queue.push_back(o);
            }
        }
        if let (Some((ub, b)), Some(front)) = (&self.best_opp, self.queue.front()) {
            if view.utility(front) < *ub {
                self.queue.push_front(b.clone());
            }
        }
    }
}

impl<O: Outcome> Strategy<O> for HardHeaded<O> {
    fn name(&self) -> String {
        "hardheaded".into()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, t: f64, rng: &mut ChaCha8Rng) -> Option<O> {
        if view.max() < view.reservation() {
            return None;
        }
        self.plan(view, t, rng);
        let o = self.queue.pop_front()?;
        let u = view.utility(&o);
        self.lowest = self.lowest.min(u);
        self.mine.push(o.clone());
        Some(o)
    }
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        t: f64,
        offer: &O,
        _from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response {
        let values = view.values(offer);
        self.model
            .get_or_insert_with(|| FrequencyModel::new(view.issue_sizes()))
            .update(&values);
        let u = view.utility(offer);
        if self.best_opp.as_ref().is_none_or(|(b, _)| u > *b) {
            self.best_opp = Some((u, offer.clone()));
        }
        if u < Self::floor(view) {
            return Response::Reject;
        }
        if u > self.lowest {
            return Response::Accept;
        }
        self.plan(view, t, rng);
        match self.queue.front() {
            Some(next) if u >= view.utility(next) => Response::Accept,
            _ => Response::Reject,
        }
    }
}

/// AgentK (Kawaguchi, Fujita & Ito 2011; ANAC 2010 winner): a target from
/// the statistics of the opponent's offers. With μ and σ² the mean and
/// variance of the offers' (normalised) utility, d = √(12σ²) and the
/// "estimated maximum" E = μ + (1 − μ)·d, the target at time t is
/// `1 − t^α(1 − E)` with α = 1 + τ + 10μ − 2τμ (τ = 2, the "tremor"),
/// stretched by `min(2, (d + 0.1)/(1 − pre))` and pulled toward E as the
/// deadline nears. It accepts an offer with probability
/// `t^α/5 + (u − E) + (u − target)` (0 below 0.1); it proposes a random
/// earlier opponent offer above the target if there is one, else a random
/// outcome above its (separately jittered) bidding target.
#[derive(Debug, Clone)]
pub struct AgentK<O> {
    offered: Vec<(f64, O)>,
    sum: f64,
    sum2: f64,
    rounds: u32,
    target: f64,
    bid_target: f64,
}

impl<O> Default for AgentK<O> {
    fn default() -> Self {
        AgentK {
            offered: Vec::new(),
            sum: 0.0,
            sum2: 0.0,
            rounds: 0,
            target: 1.0,
            bid_target: 1.0,
        }
    }
}

/// AgentK's tremor τ.
pub const AGENTK_TREMOR: f64 = 2.0;

impl<O: Outcome> AgentK<O> {
    /// Current acceptance target (normalised).
    pub fn target(&self) -> f64 {
        self.target
    }

    /// The estimated maximum E from the offers seen so far.
    pub fn estimated_max(&self) -> f64 {
        let (mean, dev) = self.stats();
        mean + (1.0 - mean) * dev
    }

    fn stats(&self) -> (f64, f64) {
        if self.rounds == 0 {
            return (0.0, 0.0);
        }
        let n = self.rounds as f64;
        let mean = self.sum / n;
        let var = (self.sum2 / n - mean * mean).max(0.0);
        (mean, (var * 12.0).sqrt())
    }

    /// Updates targets from an offer of normalised utility x at time t and
    /// returns the acceptance probability.
    fn observe(&mut self, x: f64, t: f64, rng: &mut ChaCha8Rng) -> f64 {
        self.sum += x;
        self.sum2 += x * x;
        self.rounds += 1;
        let (mean, dev) = self.stats();
        let emax = mean + (1.0 - mean) * dev;
        let tau = AGENTK_TREMOR;
        let alpha = 1.0 + tau + 10.0 * mean - 2.0 * tau * mean;
        let beta = alpha + rng.random::<f64>() * tau - tau / 2.0;
        let pre = 1.0 - t.powf(alpha) * (1.0 - emax);
        let pre2 = 1.0 - t.powf(beta) * (1.0 - emax);
        let ratio = |pre: f64| {
            let r = (dev + 0.1) / (1.0 - pre);
            if r.is_nan() || r > 2.0 {
                2.0
            } else {
                r
            }
        };
        let m = 400.0 - 300.0 * t * t * t;
        let approach = |target: f64| {
            if target > emax {
                let r = target - emax;
                let f = (1.0 / (r * r)).min(m);
                let f = if f.is_nan() { m } else { f };
                target - r * f / m
            } else {
                emax
            }
        };
        self.target = approach(ratio(pre) * pre + 1.0 - ratio(pre));
        self.bid_target = approach(ratio(pre2) * pre2 + 1.0 - ratio(pre2));
        let p = t.powf(alpha) / 5.0 + (x - emax) + (x - self.target);
        if p < 0.1 {
            0.0
        } else {
            p
        }
    }
}

impl<O: Outcome> Strategy<O> for AgentK<O> {
    fn name(&self) -> String {
        "agentk".into()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, _t: f64, rng: &mut ChaCha8Rng) -> Option<O> {
        if view.max() < view.reservation() {
            return None;
        }
        let above: Vec<&O> = self
            .offered
            .iter()
            .filter(|(x, o)| *x > self.target && view.utility(o) >= view.reservation())
            .map(|(_, o)| o)
            .collect();
        if !above.is_empty() {
            return Some(above[rng.random_range(0..above.len())].clone());
        }
        let lvl = level(view, self.bid_target.min(1.0)).max(view.reservation());
        Some(
            view.random_at_least(lvl, rng)
                .unwrap_or_else(|| view.best()),
        )
    }
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        t: f64,
        offer: &O,
        _from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response {
        let u = view.utility(offer);
        let x = norm(view, u);
        if !self.offered.iter().any(|(_, o)| o == offer) {
            self.offered.push((x, offer.clone()));
        }
        let p = self.observe(x, t, rng);
        if u >= view.reservation() && p > rng.random::<f64>() {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// Nice Tit-for-Tat (Baarslag, Hindriks & Jonker 2013; ANAC 2011): it
/// reciprocates the opponent's concession toward the Nash point. With its
/// own (normalised) utility of the opponent's first offers b₀, of its best
/// offer so far b*, and its estimate N of its own Nash utility, it concedes
/// the same fraction `min(1, (b* − b₀)/(N − b₀))` of the way from 1 to N,
/// minus a bonus (`max(0.5 − 0.4δ, time bonus)` times the remaining gap to
/// N; the time bonus grows from 0 at t = 0.91, 0.85 on spaces of more than
/// 3,000 outcomes, to 1 twenty time units later). N is the Nash point of its
/// utility and a frequency model of the opponent's (the paper uses a
/// Bayesian model) over a sample of outcomes, scaled by `1.4 − 0.6·gap` and
/// kept in [0.5, 1]; on spaces of 200,000 outcomes or more it is 0.7 × that
/// scale, as in the paper. Among outcomes near its target it offers the one
/// best for the opponent, or the opponent's best offer if that is better
/// for it. It accepts an offer at least as good as its next one, or after
/// t = 0.98 one better than every offer of the recent window.
#[derive(Debug, Clone)]
pub struct NiceTitForTat<O> {
    model: Option<FrequencyModel>,
    /// (time, own utility, outcome) of every opponent offer.
    history: Vec<(f64, f64, O)>,
    nash: f64,
    proposals: u32,
    planned: Option<O>,
}

impl<O> Default for NiceTitForTat<O> {
    fn default() -> Self {
        NiceTitForTat {
            model: None,
            history: Vec::new(),
            nash: 0.7,
            proposals: 0,
            planned: None,
        }
    }
}

impl<O: Outcome> NiceTitForTat<O> {
    /// Its current estimate of its own Nash utility (normalised).
    pub fn nash(&self) -> f64 {
        self.nash
    }

    fn first_min(&self) -> f64 {
        let early: Vec<f64> = self
            .history
            .iter()
            .filter(|(t, _, _)| *t <= 0.01)
            .map(|(_, x, _)| *x)
            .collect();
        if early.is_empty() {
            self.history.first().map(|h| h.1).unwrap_or(0.0)
        } else {
            early.iter().cloned().fold(f64::INFINITY, f64::min)
        }
    }

    fn update_nash(&mut self, view: &dyn PartyView<O>, rng: &mut ChaCha8Rng) {
        let gap = 1.0 - self.first_min();
        let mult = (1.4 - 0.6 * gap).max(0.0);
        let mut n = 0.7;
        if view.n_outcomes() < 200_000.0 {
            if let Some(m) = &self.model {
                let r = norm(view, view.reservation()).max(0.0);
                let mut cands = view.band(view.min(), view.max(), 256, rng);
                cands.extend(self.history.iter().map(|h| h.2.clone()));
                let mut best = f64::NEG_INFINITY;
                for c in &cands {
                    let x = norm(view, view.utility(c));
                    let s = (x - r).max(0.0) * m.utility(&view.values(c));
                    if s > best {
                        best = s;
                        n = x;
                    }
                }
            }
        }
        self.nash = (n * mult).clamp(0.5, 1.0);
    }

    /// Its target (normalised) at time t.
    pub fn target(&self, view: &dyn PartyView<O>, t: f64) -> f64 {
        let b0 = self.first_min();
        let best = self
            .history
            .iter()
            .map(|h| h.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let concession = best - b0;
        let factor = if self.nash - b0 > 0.0 {
            (concession / (self.nash - b0)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let mut target = 1.0 - factor * (1.0 - self.nash);
        let discount_bonus = 0.5 - 0.4 * view.discount();
        let min_time = if view.n_outcomes() > 3000.0 {
            0.85
        } else {
            0.91
        };
        let time_bonus = if t > min_time {
            (20.0 * (t - min_time)).min(1.0)
        } else {
            0.0
        };
        let bonus = discount_bonus.max(time_bonus).clamp(0.0, 1.0);
        target -= bonus * (target - self.nash).max(0.0);
        target
    }

    fn plan(&mut self, view: &dyn PartyView<O>, t: f64, rng: &mut ChaCha8Rng) -> O {
        if self.history.is_empty() {
            return view.best();
        }
        if t <= 0.99 && self.proposals.is_multiple_of(10) {
            self.update_nash(view, rng);
        }
        let x = self.target(view, t);
        let lvl = level(view, x).max(view.reservation());
        let width = 0.02 * (view.max() - view.min());
        let cands = view.band(lvl, lvl + width, 12, rng);
        let mut bid = self
            .model
            .as_ref()
            .and_then(|m| m.best_of(view, &cands))
            .unwrap_or_else(|| view.worst_at_least(lvl));
        if view.utility(&bid) < lvl {
            bid = view.worst_at_least(lvl);
        }
        // Offer the opponent's best offer instead if it is at least as good.
        if let Some(h) = self.history.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
            let ub = view.utility(&h.2);
            if ub >= view.utility(&bid) && ub >= view.reservation() {
                bid = h.2.clone();
            }
        }
        bid
    }
}

impl<O: Outcome> Strategy<O> for NiceTitForTat<O> {
    fn name(&self) -> String {
        "nicetft".into()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, t: f64, rng: &mut ChaCha8Rng) -> Option<O> {
        if view.max() < view.reservation() {
            return None;
        }
        let o = match self.planned.take() {
            Some(o) => o,
            None => self.plan(view, t, rng),
        };
        self.proposals += 1;
        Some(o)
    }
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        t: f64,
        offer: &O,
        _from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response {
        let u = view.utility(offer);
        self.model
            .get_or_insert_with(|| FrequencyModel::new(view.issue_sizes()))
            .update(&view.values(offer));
        self.history.push((t, norm(view, u), offer.clone()));
        if u < view.reservation() {
            self.planned = None;
            return Response::Reject;
        }
        let next = self.plan(view, t, rng);
        if u >= view.utility(&next) {
            return Response::Accept;
        }
        self.planned = Some(next);
        if t < 0.98 {
            return Response::Reject;
        }
        // Near the deadline: accept if nothing in the recent window was better.
        let window = 1.0 - t;
        let recent: Vec<f64> = self
            .history
            .iter()
            .filter(|(ht, _, _)| *ht >= t - window)
            .map(|h| view.utility(&h.2))
            .collect();
        let enough = if view.n_outcomes() > 3000.0 { 40 } else { 10 };
        if recent.len() > enough {
            return Response::Reject;
        }
        let better: Vec<f64> = recent.iter().copied().filter(|&x| x >= u).collect();
        let expected = if better.len() <= 1 {
            0.0
        } else {
            better.iter().sum::<f64>() / better.len() as f64
        };
        if u > expected {
            Response::Accept
        } else {
            Response::Reject
        }
    }
}

/// A CUHKAgent-style agent (after Hao & Leung 2014, ANAC 2012 winner;
/// simplified): a non-exploitation point λ = 0.08 + 0.92·δ^β (β = 1.8, 1.5
/// or 1.2 as δ > 0.75, > 0.5 or less), pushed toward 1 by
/// `0.1(1 − λ)·c¹⁰` when the opponent is conceding (c = (distinct offers
/// among its last 10 / 10)²); its threshold falls from its best utility M
/// to F = max(reservation, best offer received) as `M − (M − F)·(t/λ)³`
/// and stays at F after λ. It offers the opponent's best offer when that
/// reaches its threshold, otherwise among its outcomes just above the
/// threshold the one a frequency model of the opponent rates highest. It
/// accepts an offer at or above its threshold or its next offer.
#[derive(Debug, Clone)]
pub struct CuhkStyle<O> {
    model: Option<FrequencyModel>,
    recent: VecDeque<O>,
    best_opp: Option<(f64, O)>,
    planned: Option<O>,
}

impl<O> Default for CuhkStyle<O> {
    fn default() -> Self {
        CuhkStyle {
            model: None,
            recent: VecDeque::new(),
            best_opp: None,
            planned: None,
        }
    }
}

impl<O: Outcome> CuhkStyle<O> {
    /// The non-exploitation point.
    pub fn lambda(&self, view: &dyn PartyView<O>) -> f64 {
        let d = view.discount();
        let beta = if d > 0.75 {
            1.8
        } else if d > 0.5 {
            1.5
        } else {
            1.2
        };
        let l0 = 0.08 + 0.92 * d.powf(beta);
        let distinct = {
            let mut v: Vec<&O> = self.recent.iter().collect();
            v.sort();
            v.dedup();
            v.len() as f64
        };
        let c = (distinct / 10.0).powi(2);
        (l0 + 0.1 * (1.0 - l0) * c.powi(10)).min(1.0)
    }

    /// Its threshold utility at time t.
    pub fn threshold(&self, view: &dyn PartyView<O>, t: f64) -> f64 {
        let m = view.max();
        let f = self
            .best_opp
            .as_ref()
            .map_or(view.reservation(), |(u, _)| u.max(view.reservation()))
            .min(m);
        let l = self.lambda(view);
        m - (m - f) * (t / l).min(1.0).powi(3)
    }

    fn plan(&mut self, view: &dyn PartyView<O>, t: f64, rng: &mut ChaCha8Rng) -> O {
        let thr = self.threshold(view, t);
        if let Some((u, b)) = &self.best_opp {
            if *u >= thr && *u >= view.reservation() {
                return b.clone();
            }
        }
        let width = 0.05 * (view.max() - view.min());
        let cands = view.band(thr, thr + width, 12, rng);
        let bid = self
            .model
            .as_ref()
            .and_then(|m| m.best_of(view, &cands))
            .unwrap_or_else(|| view.worst_at_least(thr));
        if view.utility(&bid) < thr {
            view.worst_at_least(thr)
        } else {
            bid
        }
    }
}

impl<O: Outcome> Strategy<O> for CuhkStyle<O> {
    fn name(&self) -> String {
        "cuhk".into()
    }
    fn propose(&mut self, view: &dyn PartyView<O>, t: f64, rng: &mut ChaCha8Rng) -> Option<O> {
        if view.max() < view.reservation() {
            return None;
        }
        Some(match self.planned.take() {
            Some(o) => o,
            None => self.plan(view, t, rng),
        })
    }
    fn respond(
        &mut self,
        view: &dyn PartyView<O>,
        t: f64,
        offer: &O,
        _from: usize,
        rng: &mut ChaCha8Rng,
    ) -> Response {
        let u = view.utility(offer);
        self.model
            .get_or_insert_with(|| FrequencyModel::new(view.issue_sizes()))
            .update(&view.values(offer));
        self.recent.push_back(offer.clone());
        if self.recent.len() > 10 {
            self.recent.pop_front();
        }
        if u < view.reservation() {
            self.planned = None;
            return Response::Reject;
        }
        let thr = self.threshold(view, t);
        if u >= thr {
            return Response::Accept;
        }
        if self.best_opp.as_ref().is_none_or(|(b, _)| u > *b) {
            self.best_opp = Some((u, offer.clone()));
        }
        let next = self.plan(view, t, rng);
        if u >= view.utility(&next) {
            return Response::Accept;
        }
        self.planned = Some(next);
        Response::Reject
    }
}
