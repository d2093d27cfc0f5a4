//! Stokman & van Oosten's exchange model of voting positions (1994), in the
//! equal-gain form of the reference implementation `decide-exchange-model`,
//! plus a random-rate variant (Dijkstra, van Assen, Stokman & Draaijer 2018).
//!
//! The model is inherently multi-issue: two actors trade voting positions on
//! a *pair* of issues, each moving towards the other on the issue it cares
//! less about. A [`Problem`] with several dimensions is run jointly (every
//! pair of dimensions is a possible trade); with one dimension no exchange
//! is possible and the forecast is the capability×salience-weighted mean,
//! which the assumptions say.
//!
//! One round, on positions normalised to 0–100 per dimension (wᵢd = cᵢ·sᵢd,
//! Dd = Σᵢ wᵢd, outcome Od = Σᵢ wᵢd·xᵢd / Dd):
//!
//! 1. Each actor is left (xᵢd ≤ Od) or right of each outcome. For every pair
//!    of dimensions (p, q), in input order, actors right of both may trade
//!    with actors left of both, and actors left on p and right on q with
//!    those right on p and left on q; candidate pairs are listed in that
//!    order (actors in input order).
//! 2. In a candidate (i, j, p, q) the actor with the larger sᵢp/sᵢq (cross-
//!    multiplied) demands p and supplies q; call it I, the other J.
//! 3. Exchange rate: a move Δ of J on p shifts Op by r_p = Δ·w_Jp/D_p; the
//!    equal-gain rate sets r_q = ρ·r_p with ρ = (s_Ip + s_Jp)/(s_Iq + s_Jq),
//!    so that I's gain r_p·s_Ip − r_q·s_Iq equals J's gain
//!    r_q·s_Jq − r_p·s_Jp. First J moves all the way to I's position on p;
//!    if I's matching move on q would pass J's position, I moves all the way
//!    instead and J's move is scaled down. Then, for I and then J, if the
//!    outcome of the supply issue would pass the partner's position, the
//!    move is cut so that the outcome lands on it, and the partner's move is
//!    rescaled at the same rate.
//! 4. A move is valid when 1e−10 < |move| ≤ 100, it stays in [0, 100], and
//!    it has the same direction as the earlier moves recorded for that actor
//!    in this candidate; a candidate with gain < 1e−10 is invalid.
//! 5. Repeatedly the valid candidate with the highest gain is carried out
//!    (gains within a relative 1e−12 tie, and the tie goes to the candidate
//!    generated first; decide breaks exact ties at random between the first
//!    two after a stable sort, and near-ties by the rounding of its 28-digit
//!    decimals). Every other
//!    candidate whose actor supplies the same issue takes that actor's new
//!    position as its start, and a candidate whose actor demands the issue
//!    on which the partner of the executed exchange moved sees that move in
//!    its outcome calculations; such candidates are recalculated, and the
//!    invalid ones dropped. This is decide's bookkeeping, reproduced as is.
//! 6. When no candidate is left, each actor votes at its last voting
//!    position; the round's outcome is the c·s-weighted mean of the voting
//!    positions. Each actor that exchanged on an issue then starts the next
//!    round at x + ((1 − s)·0.4 + 0.1)·(y − x) (the two weights are options).
//!
//! Random rate (`ExchangeRate::Random { p }`): the candidate is ranked and
//! validated at the equal-gain rate, as in decide; then one side is favoured
//! with probability ½ and z ~ U(0, 1) is drawn (ChaCha8, seeded), and the
//! rate moves from ρ towards the favoured side's best rate — the rate at
//! which the other side gains nothing (s_Jp/s_Jq favours I, s_Ip/s_Iq
//! favours J) — by the fraction p·z. The moves are then recomputed with
//! steps 3–4. p = 0 is equal gain; p = 1 lets one side take up to all the
//! gain. This is negotium's reading of the published idea ("random variation
//! of exchange rates"); decide's own randomised-gain code differs in detail.
//!
//! Externalities of an exchange for every other actor k: the change in
//! distance between k's position and each of the two outcomes, weighted by
//! k's salience, (|O⁰p − xkp| − |O¹p − xkp|)·skp + (same for q); positive is
//! a gain. "Inner" actors belong to the same pair of groups as the traders.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::stats::stats;
use crate::{ExchangeOptions, Forecast, Problem, Round, SpatialError};

/// Upper bound on the candidate exchanges of one round, ⌊n²/4⌋ · m(m−1)/2,
/// checked before any work.
pub const MAX_CANDIDATES: u64 = 250_000;
/// Relative difference under which two gains tie.
pub const TIE_REL: f64 = 1e-12;
/// Upper bound on rounds.
pub const MAX_ROUNDS: usize = 10_000;

/// How the exchange rate of each exchange is set.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ExchangeRate {
    /// Both sides gain the same utility (Stokman & van Oosten).
    #[default]
    EqualGain,
    /// The rate varies at random around the equal-gain rate; `p` in [0, 1]
    /// scales the variation (0 = equal gain).
    Random { p: f64 },
}

/// One side of a realised exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeSide {
    pub actor: String,
    /// The issue on which this actor moves (its supply issue).
    pub gives: String,
    /// The issue on which the partner moves towards it (its demand issue).
    pub takes: String,
    /// Voting position on `gives` before this exchange (scale units).
    pub from: f64,
    /// Voting position on `gives` after it.
    pub to: f64,
    /// Utility gain: outcome shift on `takes` × salience there minus
    /// outcome shift on `gives` × salience there (0–100 scale units).
    pub gain: f64,
    /// Outcome of `gives` (as this exchange sees it) before and after.
    pub outcome_before: f64,
    pub outcome_after: f64,
}

/// The effect of an exchange on an actor that did not take part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Externality {
    pub actor: String,
    /// Salience-weighted reduction of the distance to both outcomes
    /// (positive = the actor gains).
    pub value: f64,
    /// Whether the actor is in the same pair of groups as the traders.
    pub inner: bool,
}

/// A realised exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// 1-based round.
    pub round: usize,
    /// 1-based position in the round's order of execution.
    pub order: usize,
    /// The gain that ranked this exchange (the equal-gain value).
    pub gain: f64,
    /// The exchange rate used: outcome shift on I's demand issue per unit
    /// of outcome shift on J's demand issue (r_q / r_p).
    pub rate: f64,
    /// `[I, J]`: I demands the first issue of the pair and supplies the second.
    pub sides: [ExchangeSide; 2],
    pub externalities: Vec<Externality>,
}

/// One round of the exchange model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRound {
    /// 1-based.
    pub round: usize,
    /// Positions at the start of the round, `[actor][dimension]`.
    pub start: Vec<Vec<f64>>,
    /// Voting positions after the exchanges, `[actor][dimension]`.
    pub voting: Vec<Vec<f64>>,
    /// Where the next round starts: each actor that exchanged on an issue
    /// steps from its start towards its voting position (step 6).
    pub next: Vec<Vec<f64>>,
    /// c·s-weighted mean of the start positions, per dimension.
    pub start_outcome: Vec<f64>,
    /// c·s-weighted mean of the voting positions: the round's outcome.
    pub voting_outcome: Vec<f64>,
    pub exchanges: Vec<Exchange>,
    /// How many times the best valid exchange tied with another (gains
    /// within a relative 1e−12) and went to the one generated first.
    pub ties: usize,
}

/// The full trace of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeRun {
    pub forecast: Forecast,
    pub rounds: Vec<ExchangeRound>,
    /// The seed of the random-rate variant (None for equal gain).
    pub seed: Option<u64>,
}

/// Runs the model and returns the forecast only.
pub fn run(problem: &Problem, o: &ExchangeOptions) -> Result<Forecast, SpatialError> {
    simulate(problem, o).map(|r| r.forecast)
}

fn opt_err(option: &str, message: String) -> SpatialError {
    SpatialError::Option {
        option: option.into(),
        message,
    }
}

fn check(problem: &Problem, o: &ExchangeOptions) -> Result<(), SpatialError> {
    if o.rounds == 0 || o.rounds > MAX_ROUNDS {
        return Err(opt_err(
            "rounds",
            format!("expected 1..={MAX_ROUNDS}, got {}", o.rounds),
        ));
    }
    for (name, v) in [
        ("salience_weight", o.salience_weight),
        ("fixed_weight", o.fixed_weight),
    ] {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return Err(opt_err(
                name,
                format!("expected a value in [0, 1], got {v}"),
            ));
        }
    }
    if o.salience_weight + o.fixed_weight > 1.0 {
        return Err(opt_err(
            "salience_weight + fixed_weight",
            format!(
                "expected at most 1 (a step may not pass the voting position), got {}",
                o.salience_weight + o.fixed_weight
            ),
        ));
    }
    if let ExchangeRate::Random { p } = o.rate {
        if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
            return Err(opt_err("rate.p", format!("expected [0, 1], got {p}")));
        }
    }
    let n = problem.n_actors() as u64;
    let m = problem.n_dims() as u64;
    let bound = (n * n / 4).saturating_mul(m * m.saturating_sub(1) / 2);
    if bound > MAX_CANDIDATES {
        return Err(opt_err(
            "size",
            format!(
                "{n} actors × {m} dimensions allow up to {bound} candidate exchanges per round; \
                 the limit is {MAX_CANDIDATES}"
            ),
        ));
    }
    Ok(())
}

/// Round-start state on the normalised 0–100 scales.
struct State<'a> {
    /// `[actor][dim]`, normalised.
    x: Vec<Vec<f64>>,
    s: &'a [Vec<f64>],
    /// `[actor][dim]`: capability × salience.
    w: Vec<Vec<f64>>,
    /// Σ w per dimension.
    den: Vec<f64>,
    /// Σ w·x per dimension (round start).
    num: Vec<f64>,
}

impl State<'_> {
    fn outcome(&self, d: usize) -> f64 {
        if self.den[d] > 0.0 {
            self.num[d] / self.den[d]
        } else {
            0.0
        }
    }
}

/// One actor's part in a candidate exchange (decide's exchange actor).
#[derive(Debug, Clone)]
struct Side {
    actor: usize,
    supply: usize,
    demand: usize,
    /// Current position on the supply issue.
    x: f64,
    /// Position on the supply issue at the start of the round.
    start: f64,
    /// Position on the demand issue (round start; never updated).
    demand_x: f64,
    /// Decide's move history: the current move is the last entry.
    moves: Vec<f64>,
    mv: f64,
    y: f64,
    nbs0: f64,
    nbs1: f64,
    eu: f64,
}

impl Side {
    fn new(st: &State, actor: usize, supply: usize, demand: usize) -> Side {
        let x = st.x[actor][supply];
        Side {
            actor,
            supply,
            demand,
            x,
            start: x,
            demand_x: st.x[actor][demand],
            moves: Vec::new(),
            mv: 0.0,
            y: x,
            nbs0: 0.0,
            nbs1: 0.0,
            eu: 0.0,
        }
    }

    fn move_valid(&self, mv: f64) -> bool {
        if mv.abs() > 100.0 || mv.abs() <= 1e-10 {
            return false;
        }
        if self.x + mv < 0.0 || self.x + mv > 100.0 {
            return false;
        }
        if self.moves.iter().sum::<f64>() > 100.0 {
            return false;
        }
        let lo = self.moves.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = self.moves.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lo < 0.0 && hi < 0.0) || (lo > 0.0 && hi > 0.0)
    }

    fn set_last_move(&mut self, mv: f64) {
        self.mv = mv;
        self.moves.pop();
        self.moves.push(mv);
        self.y = self.x + mv;
    }
}

#[derive(Debug, Clone)]
struct Candidate {
    /// Place in the order of generation (issue pair, then actors).
    id: usize,
    p: usize,
    q: usize,
    /// Groups b×c (left on one issue, right on the other) rather than a×d.
    crossed: bool,
    /// Supplies q, demands p.
    i: Side,
    /// Supplies p, demands q.
    j: Side,
    gain: f64,
    valid: bool,
    /// Outcome shifts on p and q.
    r_p: f64,
    r_q: f64,
    rate: f64,
    /// Other actors' moves this candidate takes into account, for p and q.
    updates: [Vec<(usize, f64)>; 2],
}

impl Candidate {
    fn new(
        st: &State,
        id: usize,
        (a, b): (usize, usize),
        (p, q): (usize, usize),
        crossed: bool,
    ) -> Candidate {
        // decide: if s_ap/s_aq < s_bp/s_bq then b demands p, else a does.
        let (dem_p, dem_q) = if st.s[a][p] * st.s[b][q] < st.s[b][p] * st.s[a][q] {
            (b, a)
        } else {
            (a, b)
        };
        Candidate {
            id,
            p,
            q,
            crossed,
            i: Side::new(st, dem_p, q, p),
            j: Side::new(st, dem_q, p, q),
            gain: 0.0,
            valid: true,
            r_p: 0.0,
            r_q: 0.0,
            rate: 0.0,
            updates: [Vec::new(), Vec::new()],
        }
    }

    fn slot(&self, d: usize) -> usize {
        if d == self.p {
            0
        } else {
            debug_assert_eq!(d, self.q);
            1
        }
    }

    fn side(&self, first: bool) -> &Side {
        if first {
            &self.i
        } else {
            &self.j
        }
    }

    fn side_mut(&mut self, first: bool) -> &mut Side {
        if first {
            &mut self.i
        } else {
            &mut self.j
        }
    }

    /// Outcome of `side`'s supply issue with the recorded updates and the
    /// side's own actor at `pos` (decide's `adjusted_nbs`).
    fn adjusted(&self, st: &State, first: bool, pos: f64) -> f64 {
        let sd = self.side(first);
        let d = sd.supply;
        let mut num = st.num[d];
        for &(k, v) in &self.updates[self.slot(d)] {
            if k != sd.actor {
                num += st.w[k][d] * (v - st.x[k][d]);
            }
        }
        num += st.w[sd.actor][d] * (pos - st.x[sd.actor][d]);
        if st.den[d] > 0.0 {
            num / st.den[d]
        } else {
            0.0
        }
    }

    /// The move of `side` that puts its supply issue's outcome at `target`
    /// (decide's `adjusted_nbs_by_position`: own position first, then the
    /// updates, which may override it).
    fn move_to_outcome(&self, st: &State, first: bool, target: f64) -> f64 {
        let sd = self.side(first);
        let d = sd.supply;
        let mut num = st.num[d] + st.w[sd.actor][d] * (sd.x - st.x[sd.actor][d]);
        for &(k, v) in &self.updates[self.slot(d)] {
            let base = if k == sd.actor { sd.x } else { st.x[k][d] };
            num += st.w[k][d] * (v - base);
        }
        (target * st.den[d] - num) / st.w[sd.actor][d]
    }

    fn equal_gain_rate(&self, st: &State) -> f64 {
        let (i, j, p, q) = (self.i.actor, self.j.actor, self.p, self.q);
        (st.s[i][p] + st.s[j][p]) / (st.s[i][q] + st.s[j][q])
    }

    /// Decide's `calculate` at exchange rate `rate` (r_q = rate · r_p),
    /// pushing a new current move on both sides.
    fn calculate(&mut self, st: &State, random: Option<(f64, &mut ChaCha8Rng)>) {
        let (p, q) = (self.p, self.q);
        let wjp = st.w[self.j.actor][p];
        let wiq = st.w[self.i.actor][q];
        if !(wjp > 0.0 && wiq > 0.0) {
            // A mover without weight cannot shift an outcome: no gain.
            self.i.moves.push(0.0);
            self.j.moves.push(0.0);
            self.i.mv = 0.0;
            self.j.mv = 0.0;
            self.gain = 0.0;
            self.valid = false;
            return;
        }
        self.i.moves.push(0.0);
        self.j.moves.push(0.0);
        let rho = self.equal_gain_rate(st);
        self.solve(st, rho);
        self.gain = self.i.eu.abs();
        if !self.valid {
            return;
        }
        if let Some((pr, rng)) = random {
            if pr > 0.0 {
                let favour_i = rng.random::<f64>() < 0.5;
                let z: f64 = rng.random();
                let (i, j) = (self.i.actor, self.j.actor);
                // I gains nothing at s_Ip/s_Iq; J gains nothing at s_Jp/s_Jq.
                let bound = if favour_i {
                    st.s[j][p] / st.s[j][q]
                } else {
                    st.s[i][p] / st.s[i][q]
                };
                let r = if bound.is_finite() {
                    rho + pr * z * (bound - rho)
                } else {
                    rho
                };
                if r > 0.0 && r.is_finite() {
                    self.solve(st, r);
                }
            }
        }
    }

    /// Steps 3–4 at one rate, replacing the current moves.
    fn solve(&mut self, st: &State, rho: f64) {
        let (p, q) = (self.p, self.q);
        let wjp = st.w[self.j.actor][p];
        let wiq = st.w[self.i.actor][q];
        let full_j = (self.i.demand_x - self.j.x).abs();
        let mut r_p = full_j * wjp / st.den[p];
        let mut r_q = rho * r_p;
        let mut mi = r_q * st.den[q] / wiq;
        let mut mj = full_j;
        let full_i = (self.j.demand_x - self.i.x).abs();
        if mi.abs() > full_i {
            r_q = full_i * wiq / st.den[q];
            r_p = r_q / rho;
            mi = full_i;
            mj = r_p * st.den[p] / wjp;
        }
        if self.i.x > self.j.demand_x {
            mi = -mi;
        }
        if self.j.x > self.i.demand_x {
            mj = -mj;
        }
        self.i.set_last_move(mi);
        self.j.set_last_move(mj);
        self.r_p = r_p;
        self.r_q = r_q;
        self.rate = rho;
        self.set_gains(st);
        self.valid = self.i.move_valid(self.i.mv) && self.j.move_valid(self.j.mv);
        if self.i.eu.abs() < 1e-10 {
            self.valid = false;
        }
        if self.valid {
            self.check_outcome(st, true, rho);
            self.check_outcome(st, false, rho);
            self.valid = self.i.move_valid(self.i.mv) && self.j.move_valid(self.j.mv);
        }
        // Outcomes after the final moves (decide keeps I's stale when J's
        // check cuts I's move; here both reflect the moves carried out).
        for first in [true, false] {
            let (x, y) = (self.side(first).x, self.side(first).y);
            let n0 = self.adjusted(st, first, x);
            let n1 = self.adjusted(st, first, y);
            let sd = self.side_mut(first);
            sd.nbs0 = n0;
            sd.nbs1 = n1;
        }
    }

    fn set_gains(&mut self, st: &State) {
        let (i, j, p, q) = (self.i.actor, self.j.actor, self.p, self.q);
        self.i.eu = self.r_p * st.s[i][p] - self.r_q * st.s[i][q];
        self.j.eu = self.r_q * st.s[j][q] - self.r_p * st.s[j][p];
    }

    /// Decide's `check_nbs` for one side: keep the supply issue's outcome
    /// from passing the partner's position.
    fn check_outcome(&mut self, st: &State, first: bool, rho: f64) {
        let a = self.side(first);
        let b = self.side(!first);
        let nbs0 = self.adjusted(st, first, a.x);
        let nbs1 = self.adjusted(st, first, a.y);
        let xb = b.demand_x;
        if (xb >= nbs0 && xb >= nbs1) || (xb <= nbs0 && xb <= nbs1) {
            return;
        }
        let delta = self.move_to_outcome(st, first, xb).abs();
        let (wa, da) = (st.w[a.actor][a.supply], st.den[a.supply]);
        let (wb, db) = (st.w[b.actor][b.supply], st.den[b.supply]);
        let r_a = delta * wa / da;
        // a = I supplies q: r_p = r_q / rho; a = J supplies p: r_q = rho·r_p.
        let r_b = if first { r_a / rho } else { r_a * rho };
        let mut mb = (r_b * db / wb).abs();
        let mut ma = delta;
        if b.x > a.demand_x {
            mb = -mb;
        }
        if a.x > b.demand_x {
            ma = -ma;
        }
        if first {
            self.r_q = r_a;
            self.r_p = r_b;
        } else {
            self.r_p = r_a;
            self.r_q = r_b;
        }
        self.side_mut(!first).set_last_move(mb);
        self.side_mut(first).set_last_move(ma);
        self.set_gains(st);
    }

    /// Decide's `recalculate`: takes an executed exchange into account.
    /// Returns whether this candidate had to be recalculated.
    fn recalculate(
        &mut self,
        st: &State,
        done: &Candidate,
        random: Option<(f64, &mut ChaCha8Rng)>,
    ) -> bool {
        let mut re = false;
        for first in [true, false] {
            let me = self.side_mut(first);
            for other in [&done.i, &done.j] {
                if me.actor == other.actor && me.supply == other.supply {
                    me.x = other.y;
                    me.moves.push(*other.moves.last().expect("executed move"));
                    re = true;
                    break;
                }
            }
        }
        if re {
            self.i.moves.pop();
            self.j.moves.pop();
        }
        // (executed side whose demand matches, executed side that moved there)
        for (dem, mover) in [(&done.j, &done.i), (&done.i, &done.j)] {
            let hit = [&self.i, &self.j]
                .iter()
                .any(|s| s.actor == dem.actor && s.demand == dem.demand);
            if !hit {
                continue;
            }
            let slot = self.slot(dem.demand);
            let ups = &mut self.updates[slot];
            match ups.iter_mut().find(|(k, _)| *k == mover.actor) {
                Some((_, u)) => {
                    *u = if mover.start <= *u {
                        u.min(mover.y)
                    } else {
                        u.max(mover.y)
                    };
                }
                None => ups.push((mover.actor, mover.y)),
            }
            if !re {
                self.i.moves.pop();
                self.j.moves.pop();
                re = true;
            }
        }
        if re {
            self.calculate(st, random);
        }
        re
    }
}

fn normalise(problem: &Problem) -> Vec<Vec<f64>> {
    problem
        .position()
        .iter()
        .map(|row| {
            row.iter()
                .zip(problem.dims())
                .map(|(&x, d)| (x - d.min) / (d.max - d.min) * 100.0)
                .collect()
        })
        .collect()
}

fn denormalise(problem: &Problem, x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    x.iter()
        .map(|row| {
            row.iter()
                .zip(problem.dims())
                .map(|(&v, d)| (d.min + v / 100.0 * (d.max - d.min)).clamp(d.min, d.max))
                .collect()
        })
        .collect()
}

fn to_scale(problem: &Problem, d: usize, v: f64) -> f64 {
    let dim = &problem.dims()[d];
    dim.min + v / 100.0 * (dim.max - dim.min)
}

/// Runs the model and returns the full trace: every round's start and
/// voting positions and every exchange with its externalities.
pub fn simulate(problem: &Problem, o: &ExchangeOptions) -> Result<ExchangeRun, SpatialError> {
    check(problem, o)?;
    let n = problem.n_actors();
    let m = problem.n_dims();
    let cap = problem.capability();
    let sal = problem.salience();
    let w: Vec<Vec<f64>> = (0..n)
        .map(|a| (0..m).map(|d| cap[a] * sal[a][d]).collect())
        .collect();
    let den: Vec<f64> = (0..m).map(|d| (0..n).map(|a| w[a][d]).sum()).collect();
    let random_p = match o.rate {
        ExchangeRate::EqualGain => None,
        ExchangeRate::Random { p } => Some(p),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    let initial = stats(problem, problem.position());
    let mut x = normalise(problem);
    let mut rounds: Vec<ExchangeRound> = Vec::new();
    let mut converged = false;
    for round in 1..=o.rounds {
        let num: Vec<f64> = (0..m)
            .map(|d| (0..n).map(|a| w[a][d] * x[a][d]).sum())
            .collect();
        let st = State {
            x: x.clone(),
            s: sal,
            w: w.clone(),
            den: den.clone(),
            num,
        };
        // Group of each actor per dimension: left of (or at) the outcome.
        let left: Vec<Vec<bool>> = (0..n)
            .map(|a| (0..m).map(|d| st.x[a][d] <= st.outcome(d)).collect())
            .collect();
        let mut cands: Vec<Candidate> = Vec::new();
        for p in 0..m {
            for q in p + 1..m {
                let group = |a: usize| usize::from(left[a][p]) | (usize::from(left[a][q]) << 1);
                for (g1, g2, crossed) in [(0, 3, false), (1, 2, true)] {
                    for a in (0..n).filter(|&a| group(a) == g1) {
                        for b in (0..n).filter(|&b| group(b) == g2) {
                            let id = cands.len();
                            let mut c = Candidate::new(&st, id, (a, b), (p, q), crossed);
                            c.calculate(&st, random_p.map(|pr| (pr, &mut rng)));
                            cands.push(c);
                        }
                    }
                }
            }
        }
        let mut realised: Vec<Candidate> = Vec::new();
        let mut ties = 0;
        while !cands.is_empty() {
            // Gains equal up to rounding (relative 1e-12) tie; the tie goes
            // to the candidate generated first. (decide sorts the list before
            // every pick; a linear scan finds the same candidate.)
            let top = cands
                .iter()
                .map(|c| c.gain)
                .fold(f64::NEG_INFINITY, f64::max);
            let near = |c: &Candidate| top - c.gain <= TIE_REL * top.abs();
            let pick = cands
                .iter()
                .enumerate()
                .filter(|(_, c)| near(c))
                .min_by_key(|(_, c)| c.id)
                .map(|(k, _)| k)
                .expect("a candidate has the top gain");
            let tied = cands
                .iter()
                .enumerate()
                .any(|(k, c)| k != pick && c.valid && near(c));
            let best = cands.swap_remove(pick);
            if !best.valid {
                continue;
            }
            if tied {
                ties += 1;
            }
            cands.retain_mut(|c| {
                if !c.valid {
                    return false;
                }
                c.recalculate(&st, &best, random_p.map(|pr| (pr, &mut rng)));
                c.valid
            });
            realised.push(best);
        }
        let mut voting = x.clone();
        let mut next = x.clone();
        let step = |s: f64| (1.0 - s) * o.salience_weight + o.fixed_weight;
        for c in &realised {
            for sd in [&c.i, &c.j] {
                voting[sd.actor][sd.supply] = sd.y;
                let s = sal[sd.actor][sd.supply];
                next[sd.actor][sd.supply] = sd.start + step(s) * (sd.y - sd.start);
            }
        }
        let exchanges = realised
            .iter()
            .enumerate()
            .map(|(k, c)| describe(problem, &st, &left, c, round, k + 1))
            .collect();
        let start_scale = denormalise(problem, &x);
        let voting_scale = denormalise(problem, &voting);
        let none = realised.is_empty();
        rounds.push(ExchangeRound {
            round,
            ties,
            start_outcome: stats(problem, &start_scale).mean,
            voting_outcome: stats(problem, &voting_scale).mean,
            start: start_scale,
            voting: voting_scale,
            next: denormalise(problem, &next),
            exchanges,
        });
        x = next;
        if none {
            converged = true;
            // Equal gain is deterministic: every later round would repeat
            // this one. A random rate may still find a trade later.
            if random_p.is_none() {
                break;
            }
        } else {
            converged = false;
        }
    }
    let last = rounds.last().expect("at least one round");
    let forecast = last.voting_outcome.clone();
    let fc_rounds = rounds
        .iter()
        .map(|r| Round {
            round: r.round,
            positions: r.voting.clone(),
            stats: stats(problem, &r.voting),
        })
        .collect();
    let mut assumptions = vec![
        "Stokman & van Oosten's exchange model as implemented by decide-exchange-model: \
         actors trade voting positions on pairs of issues, the one valuing an issue \
         relatively less moving towards the other; outcomes are the capability × \
         salience-weighted means of the voting positions."
            .to_string(),
        format!(
            "Up to {} rounds; each actor that exchanged starts the next round at \
             x + ((1 − s)·{} + {})·(y − x), y its voting position; the forecast is the \
             c·s-weighted mean of the last round's voting positions.",
            o.rounds, o.salience_weight, o.fixed_weight
        ),
        "Within a round the valid exchange with the highest gain is carried out first; \
         gains within a relative 1e−12 tie and go to the candidate generated first \
         (issue pairs in input order, then actors); decide breaks ties at random."
            .to_string(),
    ];
    match o.rate {
        ExchangeRate::EqualGain => assumptions.push(
            "Equal gain: each exchange's rate gives both actors the same utility gain.".into(),
        ),
        ExchangeRate::Random { p } => assumptions.push(format!(
            "Random rate, p = {p}: each exchange's rate moves from the equal-gain rate \
             towards the rate that gives one side (chosen with probability ½) all the \
             gain, by p·z with z ~ U(0, 1); ChaCha8 seed {}.",
            o.seed
        )),
    }
    if m == 1 {
        assumptions.push(
            "One dimension: an exchange needs two issues, so none is possible and the \
             forecast is the c·s-weighted mean of the positions."
                .into(),
        );
    }
    Ok(ExchangeRun {
        forecast: Forecast {
            model: "exchange".into(),
            forecast,
            initial,
            rounds: fc_rounds,
            converged,
            assumptions,
        },
        rounds,
        seed: random_p.map(|_| o.seed),
    })
}

fn describe(
    problem: &Problem,
    st: &State,
    left: &[Vec<bool>],
    c: &Candidate,
    round: usize,
    order: usize,
) -> Exchange {
    let names = problem.actors();
    let dims = problem.dims();
    let side = |sd: &Side| ExchangeSide {
        actor: names[sd.actor].clone(),
        gives: dims[sd.supply].name.clone(),
        takes: dims[sd.demand].name.clone(),
        from: to_scale(problem, sd.supply, sd.x),
        to: to_scale(problem, sd.supply, sd.y),
        gain: sd.eu,
        outcome_before: to_scale(problem, sd.supply, sd.nbs0),
        outcome_after: to_scale(problem, sd.supply, sd.nbs1),
    };
    let (p, q) = (c.p, c.q);
    let externalities = (0..problem.n_actors())
        .filter(|&k| k != c.i.actor && k != c.j.actor)
        .map(|k| {
            let (xp, xq) = (st.x[k][p], st.x[k][q]);
            let l = (c.j.nbs0 - xp).abs() - (c.j.nbs1 - xp).abs();
            let r = (c.i.nbs0 - xq).abs() - (c.i.nbs1 - xq).abs();
            let g = usize::from(left[k][p]) | (usize::from(left[k][q]) << 1);
            let inner = if c.crossed {
                g == 1 || g == 2
            } else {
                g == 0 || g == 3
            };
            Externality {
                actor: names[k].clone(),
                value: l * st.s[k][p] + r * st.s[k][q],
                inner,
            }
        })
        .collect();
    Exchange {
        round,
        order,
        gain: c.gain,
        rate: c.rate,
        sides: [side(&c.i), side(&c.j)],
        externalities,
    }
}
