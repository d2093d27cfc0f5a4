//! Power indices of a game: picks the method (exact dynamic programming,
//! enumeration, or Monte Carlo when exact is out of reach), runs it and
//! returns every requested index per member, exact fractions included.

use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};
use serde::{Deserialize, Serialize, Serializer};

use crate::count::Count as CountT;
use crate::count::{lcm_upto, width_for, Width};
use crate::dp::{self, Layout};
use crate::enumerate::{self, MAX_ENUMERATE};
use crate::error::VotingError;
use crate::game::Game;
use crate::montecarlo;
use crate::mwc;
use crate::structure::Structure;

/// The power indices computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Index {
    /// Probability of being pivotal in a random ordering.
    ShapleyShubik,
    /// Swings, normalised to sum to 1.
    Banzhaf,
    /// Penrose: swings / 2^(n−1).
    BanzhafAbsolute,
    /// Public Good Index: minimal winning coalitions containing the member, normalised.
    Holler,
    /// (1/#MWC) Σ over MWC containing the member of 1/|S|.
    DeeganPackel,
    /// Σ over winning S where the member is critical of 1/#critical(S), normalised.
    Johnston,
    /// Coleman's power to prevent action: swings / winning coalitions.
    ColemanPrevent,
    /// Coleman's power to initiate action: swings / losing coalitions.
    ColemanInitiate,
}

impl Index {
    pub const ALL: [Index; 8] = [
        Index::ShapleyShubik,
        Index::Banzhaf,
        Index::BanzhafAbsolute,
        Index::Holler,
        Index::DeeganPackel,
        Index::Johnston,
        Index::ColemanPrevent,
        Index::ColemanInitiate,
    ];

    /// Machine name (JSON key).
    pub fn key(self) -> &'static str {
        match self {
            Index::ShapleyShubik => "shapley_shubik",
            Index::Banzhaf => "banzhaf",
            Index::BanzhafAbsolute => "banzhaf_absolute",
            Index::Holler => "holler",
            Index::DeeganPackel => "deegan_packel",
            Index::Johnston => "johnston",
            Index::ColemanPrevent => "coleman_prevent",
            Index::ColemanInitiate => "coleman_initiate",
        }
    }

    /// Short column label.
    pub fn label(self) -> &'static str {
        match self {
            Index::ShapleyShubik => "Shapley-Shubik",
            Index::Banzhaf => "Banzhaf",
            Index::BanzhafAbsolute => "Penrose",
            Index::Holler => "Holler",
            Index::DeeganPackel => "Deegan-Packel",
            Index::Johnston => "Johnston",
            Index::ColemanPrevent => "Coleman prevent",
            Index::ColemanInitiate => "Coleman initiate",
        }
    }

    /// Parses a key or a common abbreviation (`ss`, `bz`, `pbi`, `pgi`, `dp`, `j`, `cp`, `ci`).
    pub fn parse(s: &str) -> Option<Index> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Index::ALL
            .into_iter()
            .find(|i| i.key() == s)
            .or(match s.as_str() {
                "ss" | "ssi" | "shapley" => Some(Index::ShapleyShubik),
                "bz" | "nbz" | "banzhaf_normalised" | "banzhaf_normalized" => Some(Index::Banzhaf),
                "pbi" | "abz" | "penrose" | "absolute" => Some(Index::BanzhafAbsolute),
                "pgi" | "hp" | "holler_packel" | "public_good" => Some(Index::Holler),
                "dp" | "deegan" => Some(Index::DeeganPackel),
                "j" | "jo" => Some(Index::Johnston),
                "cp" | "prevent" => Some(Index::ColemanPrevent),
                "ci" | "initiate" => Some(Index::ColemanInitiate),
                _ => None,
            })
    }

    /// Does the index sum to 1 over the members?
    pub fn sums_to_one(self) -> bool {
        matches!(
            self,
            Index::ShapleyShubik
                | Index::Banzhaf
                | Index::Holler
                | Index::DeeganPackel
                | Index::Johnston
        )
    }

    fn needs_mwc(self) -> bool {
        matches!(self, Index::Holler | Index::DeeganPackel | Index::Johnston)
    }
}

/// An exact non-negative fraction, serialised as `"p/q"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exact(pub BigRational);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl std::fmt::Display for Exact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An exact count, serialised as a decimal string (it may exceed 2^64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BigCount(pub BigUint);

impl Serialize for BigCount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// How to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Exact where within the size limits, Monte Carlo otherwise (said in the notes).
    Auto,
    /// Exact or an error saying how big the job would be.
    Exact,
    /// Enumerate every coalition (n ≤ 26).
    Enumerate,
    /// Monte Carlo only.
    MonteCarlo,
}

/// What to compute and within which limits.
#[derive(Debug, Clone)]
pub struct PowerOptions {
    pub indices: Vec<Index>,
    pub method: Method,
    /// Monte Carlo orderings and coalitions (each).
    pub samples: u64,
    pub seed: u64,
    /// Largest coefficient table of the exact programmes, in cells.
    pub max_cells: u128,
}

impl Default for PowerOptions {
    fn default() -> Self {
        PowerOptions {
            indices: Index::ALL.to_vec(),
            method: Method::Auto,
            samples: 200_000,
            seed: 0,
            max_cells: 60_000_000,
        }
    }
}

/// The method that produced a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MethodUsed {
    /// Generating functions (swing counts by size and weight).
    GeneratingFunction,
    /// Sorted-cut dynamic programme (minimal winning and critical-member indices).
    CutProgramme,
    /// All 2^n coalitions enumerated.
    Enumeration,
    /// Sampled, with a 95% confidence interval per value.
    MonteCarlo { samples: u64, seed: u64 },
}

impl MethodUsed {
    pub fn is_exact(&self) -> bool {
        !matches!(self, MethodUsed::MonteCarlo { .. })
    }
    pub fn describe(&self) -> String {
        match self {
            MethodUsed::GeneratingFunction => "exact (generating functions)".into(),
            MethodUsed::CutProgramme => "exact (sorted-cut dynamic programme)".into(),
            MethodUsed::Enumeration => "exact (all coalitions enumerated)".into(),
            MethodUsed::MonteCarlo { samples, seed } => {
                format!("Monte Carlo estimate ({samples} samples, seed {seed}, 95% intervals)")
            }
        }
    }
}

/// One member's value of one index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PowerValue {
    pub value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<Exact>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci95: Option<[f64; 2]>,
}

impl PowerValue {
    fn exact(r: BigRational) -> PowerValue {
        PowerValue {
            value: to_f64(&r),
            exact: Some(Exact(r)),
            ci95: None,
        }
    }
    fn estimate((value, ci): (f64, [f64; 2])) -> PowerValue {
        PowerValue {
            value,
            exact: None,
            ci95: Some(ci),
        }
    }
}

/// One index for every member.
#[derive(Debug, Clone, Serialize)]
pub struct IndexResult {
    pub index: Index,
    pub method: MethodUsed,
    pub values: Vec<PowerValue>,
}

/// Every requested index of a game.
#[derive(Debug, Clone, Serialize)]
pub struct PowerReport {
    pub members: usize,
    pub results: Vec<IndexResult>,
    pub total_coalitions: BigCount,
    /// Exact number of winning coalitions (absent when only estimated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub winning_coalitions: Option<BigCount>,
    /// Exact number of minimal winning coalitions, when computed exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimal_winning_coalitions: Option<BigCount>,
    /// Coleman's power of the collectivity to act: winning / all coalitions.
    pub power_to_act: PowerValue,
    /// What was done and why (method choices, fallbacks).
    pub notes: Vec<String>,
}

impl PowerReport {
    pub fn get(&self, idx: Index) -> Option<&IndexResult> {
        self.results.iter().find(|r| r.index == idx)
    }
}

fn to_f64(r: &BigRational) -> f64 {
    r.to_f64().unwrap_or_else(|| {
        let n = r.numer().to_f64().unwrap_or(f64::NAN);
        let d = r.denom().to_f64().unwrap_or(f64::NAN);
        n / d
    })
}

fn ratio(n: &BigUint, d: &BigUint) -> BigRational {
    if d.is_zero() {
        return BigRational::zero();
    }
    BigRational::new(BigInt::from(n.clone()), BigInt::from(d.clone()))
}

fn factorials(n: usize) -> Vec<BigUint> {
    let mut f = vec![BigUint::one()];
    for k in 1..=n {
        let next = &f[k - 1] * BigUint::from(k);
        f.push(next);
    }
    f
}

/// Exact swing data in big integers, whichever method produced it.
struct SwingData {
    by_size: Vec<Vec<BigUint>>,
    winning: BigUint,
}

/// Exact minimal-winning data.
struct MwcData {
    holler: Vec<BigUint>,
    deegan: Vec<BigRational>,
    johnston: Vec<BigRational>,
    mwc: BigUint,
}

fn swings_dp(st: &Structure) -> Result<SwingData, VotingError> {
    let m = st.free.len();
    // Swing and winning counts are at most 2^m (coalitions of the free members).
    Ok(match width_for(&BigUint::one(), m) {
        Width::U64 => conv(dp::swings::<u64>(st)?),
        Width::U128 => conv(dp::swings::<u128>(st)?),
        Width::Big => conv(dp::swings::<BigUint>(st)?),
    })
}

fn conv<C: CountT>(s: dp::Swings<C>) -> SwingData {
    let mut winning = BigUint::zero();
    for w in &s.winning_by_size {
        winning += CountT::to_big(w);
    }
    SwingData {
        by_size: s
            .by_size
            .iter()
            .map(|r| r.iter().map(CountT::to_big).collect())
            .collect(),
        winning,
    }
}

fn mwc_dp(st: &Structure) -> MwcData {
    let n = st.n;
    let m = st.free.len();
    let scale = lcm_upto(n);
    let (h, d, j, mwc) = match width_for(&scale, m) {
        Width::U64 => big4(mwc::totals::<u64>(st, &scale.to_u64().unwrap_or(1))),
        Width::U128 => big4(mwc::totals::<u128>(st, &scale.to_u128().unwrap_or(1))),
        Width::Big => big4(mwc::totals::<BigUint>(st, &scale)),
    };
    let sc = BigInt::from(scale);
    let r = |v: &BigUint| BigRational::new(BigInt::from(v.clone()), sc.clone());
    MwcData {
        deegan: d.iter().map(r).collect(),
        johnston: j.iter().map(r).collect(),
        holler: h,
        mwc,
    }
}

type Big4 = (Vec<BigUint>, Vec<BigUint>, Vec<BigUint>, BigUint);

fn big4<C: CountT>(t: mwc::MwcTotals<C>) -> Big4 {
    let f = |v: &[C]| v.iter().map(CountT::to_big).collect::<Vec<_>>();
    (f(&t.holler), f(&t.deegan), f(&t.johnston), t.mwc.to_big())
}

fn from_enumeration(e: &enumerate::Enumerated, n: usize) -> (SwingData, MwcData) {
    let b = enumerate::big;
    let swings = SwingData {
        by_size: e
            .swings_by_size
            .iter()
            .map(|r| r.iter().map(|&v| b(v)).collect())
            .collect(),
        winning: e.winning_by_size.iter().map(|&v| b(v)).sum(),
    };
    let frac_sum = |row: &[u64]| {
        let mut acc = BigRational::zero();
        for (k, &v) in row.iter().enumerate() {
            if v > 0 {
                acc += BigRational::new(BigInt::from(v), BigInt::from(k));
            }
        }
        acc
    };
    let mwc = MwcData {
        holler: e
            .mwc_by_size
            .iter()
            .map(|r| b(r.iter().sum::<u64>()))
            .collect(),
        deegan: e.mwc_by_size.iter().map(|r| frac_sum(r)).collect(),
        johnston: e.critical_by_count.iter().map(|r| frac_sum(r)).collect(),
        mwc: b(e.mwc),
    };
    let _ = n;
    (swings, mwc)
}

/// Computes the requested indices of `game`.
pub fn power(game: &Game, opts: &PowerOptions) -> Result<PowerReport, VotingError> {
    // A sample count above the cap is refused before any work, whichever
    // method ends up being used.
    if opts.samples > montecarlo::MAX_SAMPLES {
        return Err(VotingError::TooManySamples {
            got: opts.samples,
            max: montecarlo::MAX_SAMPLES,
        });
    }
    let n = game.n();
    let st = Structure::of(game);
    let m = st.free.len();
    let total = BigUint::one() << n;
    let mut notes = Vec::new();
    let want_swing = opts.indices.iter().any(|i| !i.needs_mwc());
    let want_mwc = opts.indices.iter().any(|i| i.needs_mwc());

    // ---- choose the methods ----
    let layout = Layout::of(&st);
    let swing_cells = layout.as_ref().map(|l| l.cells(&st)).unwrap_or(u128::MAX);
    // With one weight dimension the table is built once and read by window
    // sums; with several, every member's factor is divided out and the whole
    // table scanned, so the work grows with members × dimensions too.
    let swing_work = if st.dims.len() <= 1 {
        swing_cells
    } else {
        swing_cells.saturating_mul((m as u128 + 1) * st.dims.len() as u128)
    };
    let swing_dp_ok = swing_cells <= opts.max_cells && swing_work <= MAX_SWING_WORK;
    let free_weight: u128 = if st.dims.len() <= 1 {
        st.free.iter().map(|&i| st.weight1(i) as u128).sum()
    } else {
        u128::MAX
    };
    let cut_cells = (m as u128 + 1).saturating_mul(free_weight.saturating_add(1));
    let cut_work = cut_cells.saturating_mul((m as u128 * m as u128) / 6 + 1);
    let cut_ok = st.dims.len() <= 1 && cut_cells <= opts.max_cells && cut_work <= 40_000_000_000;
    let enum_ok = n <= 22;

    #[derive(PartialEq, Clone, Copy)]
    enum Way {
        Dp,
        Enum,
        Mc,
    }
    let (sw_way, mwc_way) = match opts.method {
        Method::MonteCarlo => (Way::Mc, Way::Mc),
        Method::Enumerate => {
            if n > MAX_ENUMERATE {
                return Err(VotingError::TooBig {
                    what: format!(
                        "enumerating 2^{n} coalitions of {n} members; at most {MAX_ENUMERATE} members are enumerated"
                    ),
                });
            }
            (Way::Enum, Way::Enum)
        }
        Method::Auto | Method::Exact => {
            let sw = if swing_dp_ok {
                Way::Dp
            } else if enum_ok {
                Way::Enum
            } else {
                Way::Mc
            };
            let mw = if cut_ok {
                Way::Dp
            } else if enum_ok {
                Way::Enum
            } else {
                Way::Mc
            };
            if opts.method == Method::Exact
                && ((want_swing && sw == Way::Mc) || (want_mwc && mw == Way::Mc))
            {
                return Err(VotingError::TooBig {
                    what: format!(
                        "exact indices of this {n}-member game need a table of {} cells and {} cell updates (swings) and {} cells (minimal winning coalitions); the limits are {} cells and {MAX_SWING_WORK:.0e} updates, and enumeration stops at 22 members",
                        show_cells(swing_cells),
                        show_cells(swing_work),
                        show_cells(if st.dims.len() <= 1 { cut_cells } else { u128::MAX }),
                        opts.max_cells
                    ),
                });
            }
            (sw, mw)
        }
    };
    if want_swing && sw_way == Way::Mc && opts.method == Method::Auto {
        notes.push(format!(
            "swing-based indices estimated by Monte Carlo: the exact table would have {} cells and need {} cell updates (limits {} and {MAX_SWING_WORK:.0e}) and {n} members are too many to enumerate",
            show_cells(swing_cells),
            show_cells(swing_work),
            opts.max_cells
        ));
    }
    if want_mwc && mwc_way == Way::Mc && opts.method == Method::Auto {
        notes.push(if st.dims.len() > 1 {
            format!("Holler, Deegan-Packel and Johnston estimated by Monte Carlo: the game keeps {} weight dimensions (the exact programme handles one) and {n} members are too many to enumerate", st.dims.len())
        } else {
            format!("Holler, Deegan-Packel and Johnston estimated by Monte Carlo: their exact table would have {} cells (limit {})", show_cells(cut_cells), opts.max_cells)
        });
    }

    // ---- run ----
    let mut swing: Option<(SwingData, MethodUsed)> = None;
    let mut mwcd: Option<(MwcData, MethodUsed)> = None;
    if sw_way == Way::Enum || (want_mwc && mwc_way == Way::Enum) {
        let e = enumerate::enumerate(game)?;
        let (s, w) = from_enumeration(&e, n);
        if sw_way == Way::Enum {
            swing = Some((s, MethodUsed::Enumeration));
        }
        if mwc_way == Way::Enum {
            mwcd = Some((w, MethodUsed::Enumeration));
        }
    }
    // The winning count (power to act) is always wanted: use the DP when it fits.
    if swing.is_none() && sw_way == Way::Dp {
        swing = Some((swings_dp(&st)?, MethodUsed::GeneratingFunction));
    }
    if want_mwc && mwcd.is_none() && mwc_way == Way::Dp {
        mwcd = Some((mwc_dp(&st), MethodUsed::CutProgramme));
    }
    let need_mc = (want_swing && swing.is_none()) || (want_mwc && mwcd.is_none());
    let mc = if need_mc || swing.is_none() {
        let mc_idx: Vec<Index> = opts
            .indices
            .iter()
            .copied()
            .filter(|i| {
                if i.needs_mwc() {
                    mwcd.is_none()
                } else {
                    swing.is_none()
                }
            })
            .collect();
        Some(montecarlo::estimate(
            game,
            &mc_idx,
            opts.samples,
            opts.seed,
        )?)
    } else {
        None
    };
    let mc_used = MethodUsed::MonteCarlo {
        samples: mc.as_ref().map_or(opts.samples, |e| e.drawn),
        seed: opts.seed,
    };

    // ---- assemble ----
    let mut results = Vec::new();
    let fact = factorials(n);
    for &idx in &opts.indices {
        let exact_src = if idx.needs_mwc() {
            mwcd.as_ref().map(|(_, m)| m.clone())
        } else {
            swing.as_ref().map(|(_, m)| m.clone())
        };
        let Some(method) = exact_src else {
            let est = mc
                .as_ref()
                .and_then(|e| e.values.iter().find(|(i, _)| *i == idx));
            let values = est
                .map(|(_, v)| v.iter().map(|&p| PowerValue::estimate(p)).collect())
                .unwrap_or_default();
            results.push(IndexResult {
                index: idx,
                method: mc_used.clone(),
                values,
            });
            continue;
        };
        let values: Vec<BigRational> = match idx {
            Index::ShapleyShubik
            | Index::Banzhaf
            | Index::BanzhafAbsolute
            | Index::ColemanPrevent
            | Index::ColemanInitiate => {
                let s = &swing.as_ref().expect("swing data").0;
                let sw: Vec<BigUint> = s.by_size.iter().map(|r| r.iter().sum()).collect();
                match idx {
                    Index::ShapleyShubik => s
                        .by_size
                        .iter()
                        .map(|r| {
                            let mut num = BigUint::zero();
                            for (t, k) in r.iter().enumerate() {
                                if !k.is_zero() {
                                    num += k * &fact[t] * &fact[n - 1 - t];
                                }
                            }
                            ratio(&num, &fact[n])
                        })
                        .collect(),
                    Index::Banzhaf => {
                        let tot: BigUint = sw.iter().sum();
                        sw.iter().map(|v| ratio(v, &tot)).collect()
                    }
                    Index::BanzhafAbsolute => {
                        let d = BigUint::one() << (n - 1);
                        sw.iter().map(|v| ratio(v, &d)).collect()
                    }
                    Index::ColemanPrevent => sw.iter().map(|v| ratio(v, &s.winning)).collect(),
                    _ => {
                        let losing = &total - &s.winning;
                        sw.iter().map(|v| ratio(v, &losing)).collect()
                    }
                }
            }
            Index::Holler => {
                let d = &mwcd.as_ref().expect("mwc data").0;
                let tot: BigUint = d.holler.iter().sum();
                d.holler.iter().map(|v| ratio(v, &tot)).collect()
            }
            Index::DeeganPackel => {
                let d = &mwcd.as_ref().expect("mwc data").0;
                let k = BigRational::from_integer(BigInt::from(d.mwc.clone()));
                d.deegan
                    .iter()
                    .map(|v| {
                        if k.is_zero() {
                            BigRational::zero()
                        } else {
                            v / &k
                        }
                    })
                    .collect()
            }
            Index::Johnston => {
                let d = &mwcd.as_ref().expect("mwc data").0;
                let tot: BigRational = d.johnston.iter().sum();
                d.johnston
                    .iter()
                    .map(|v| {
                        if tot.is_zero() {
                            BigRational::zero()
                        } else {
                            v / &tot
                        }
                    })
                    .collect()
            }
        };
        results.push(IndexResult {
            index: idx,
            method,
            values: values.into_iter().map(PowerValue::exact).collect(),
        });
    }
    let (winning, power_to_act) = match &swing {
        Some((s, _)) => (
            Some(BigCount(s.winning.clone())),
            PowerValue::exact(ratio(&s.winning, &total)),
        ),
        None => (
            None,
            PowerValue::estimate(
                mc.as_ref()
                    .map(|e| e.power_to_act)
                    .unwrap_or((0.0, [0.0, 0.0])),
            ),
        ),
    };
    Ok(PowerReport {
        members: n,
        results,
        total_coalitions: BigCount(total),
        winning_coalitions: winning,
        minimal_winning_coalitions: mwcd.as_ref().map(|(d, _)| BigCount(d.mwc.clone())),
        power_to_act,
        notes,
    })
}

/// Most cell updates the exact swing programme may make (about 2 s of a
/// release build); beyond it `Auto` estimates and `Exact` refuses.
pub const MAX_SWING_WORK: u128 = 1_000_000_000;

fn show_cells(c: u128) -> String {
    if c == u128::MAX {
        "too many".into()
    } else {
        format!("{c}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::WeightedQuota;

    /// Every integer width gives the same exact totals (u64 and u128 wrap; BigUint does not).
    #[test]
    fn integer_widths_agree() {
        let games = [
            Game::weighted(39, [vec![7u64; 5], vec![1u64; 10]].concat()).unwrap(),
            Game::new(
                vec![
                    WeightedQuota {
                        weights: vec![1; 9],
                        quota: 5,
                    },
                    WeightedQuota {
                        weights: vec![30, 20, 15, 10, 9, 7, 5, 3, 1],
                        quota: 65,
                    },
                ],
                vec![false, false, true, false, false, false, false, false, false],
                Some(3),
            )
            .unwrap(),
        ];
        for g in &games {
            let st = Structure::of(g);
            let a = conv(dp::swings::<u64>(&st).unwrap());
            let b = conv(dp::swings::<u128>(&st).unwrap());
            let c = conv(dp::swings::<BigUint>(&st).unwrap());
            assert_eq!(a.by_size, b.by_size);
            assert_eq!(a.by_size, c.by_size);
            assert_eq!(a.winning, c.winning);
            if st.dims.len() <= 1 {
                let l = lcm_upto(g.n());
                let x = big4(mwc::totals::<u64>(&st, &l.to_u64().unwrap()));
                let y = big4(mwc::totals::<u128>(&st, &l.to_u128().unwrap()));
                let z = big4(mwc::totals::<BigUint>(&st, &l));
                assert_eq!(x, y);
                assert_eq!(x, z);
            }
        }
    }

    #[test]
    fn widths_are_chosen_by_the_bound() {
        assert_eq!(width_for(&BigUint::one(), 63), Width::U64);
        assert_eq!(width_for(&BigUint::one(), 64), Width::U128);
        assert_eq!(width_for(&BigUint::one(), 128), Width::Big);
        // EU Council: lcm(1..27) · 2^27 < 2^64
        assert_eq!(width_for(&lcm_upto(27), 27), Width::U64);
    }

    #[test]
    fn too_big_for_exact_is_refused_or_estimated() {
        let w: Vec<u64> = (0..400).map(|i| 1_000_000 + i).collect();
        let q = w.iter().sum::<u64>() / 2 + 1;
        let g = Game::weighted(q, w).unwrap();
        let exact = PowerOptions {
            method: Method::Exact,
            indices: vec![Index::Banzhaf],
            ..Default::default()
        };
        let e = power(&g, &exact).unwrap_err();
        assert!(e.to_string().contains("cells"), "{e}");
        let auto = PowerOptions {
            indices: vec![Index::Banzhaf],
            samples: 2_000,
            seed: 3,
            ..Default::default()
        };
        let r = power(&g, &auto).unwrap();
        assert!(!r.notes.is_empty());
        assert_eq!(
            r.results[0].method,
            MethodUsed::MonteCarlo {
                samples: 2_000,
                seed: 3
            }
        );
        assert!(r.results[0].values[0].ci95.is_some());
    }
}
