//! The built conflict: feasible states numbered as GMCR II / gmcr-py do,
//! payoffs per DM, and unilateral moves generated on the fly from bit masks
//! (no |S|×|S| matrices, no stored adjacency).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::bitset::BitSet;
use crate::error::ConflictError;
use crate::formula::Formula;
use crate::model::{ConflictSpec, Preferences, Reversibility};

/// Size limits, checked before work starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// At most this many options (2^options raw option combinations are scanned).
    pub max_options: usize,
    /// At most this many bytes of memory for what the engine really stores
    /// (state codes, index table, payoff ranks, per-state working arrays and
    /// results; moves are generated from bit masks and never stored). Each
    /// job checks its own estimate before it starts ([`build_bytes`],
    /// [`crate::stability::analysis_bytes`], …).
    pub max_bytes: u64,
    /// Up to this many options, codes map to states through a dense table of
    /// 2^options entries; beyond it, by binary search.
    pub dense_index_max_options: usize,
    /// Bytes per state that the caller will keep beside the built conflict
    /// (e.g. a result's state table and rankings): the build refuses a model
    /// when what the conflict keeps plus this is above `max_bytes`, before
    /// any state is stored. 0 by default.
    pub caller_bytes_per_state: u64,
}

/// Default memory limit: 4 GiB.
pub const DEFAULT_MAX_BYTES: u64 = 4 << 30;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_options: 26,
            max_bytes: DEFAULT_MAX_BYTES,
            dense_index_max_options: 26,
            caller_bytes_per_state: 0,
        }
    }
}

/// Human-readable byte count (binary units), e.g. `1.5 GiB`.
pub fn format_bytes(b: u64) -> String {
    const U: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut x = b as f64;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < U.len() {
        x /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} bytes")
    } else {
        format!("{x:.1} {}", U[u])
    }
}

/// Peak bytes of building a conflict of `states` feasible states: the codes,
/// the code → index table, every DM's payoff ranks, misperception sets, and
/// the largest transient arrays of the preference step (sort keys of
/// `statement_words` × 64 statements, the sort permutation, the ranks).
/// Computed from sizes alone, before any state is stored.
pub fn build_bytes(
    states: u64,
    options: usize,
    dms: usize,
    statement_words: usize,
    misperceiving: usize,
    dense_index_max_options: usize,
) -> u64 {
    let ns = states;
    let transient = 8 * ns * statement_words.max(1) as u64 + 8 * ns + 4 * ns;
    resident_bytes(states, options, dms, misperceiving, dense_index_max_options) + transient
}

/// Bytes a built conflict keeps: codes (8 per state), the dense index table
/// (4 per raw option combination, only when some combination is infeasible),
/// payoff ranks (4 per state and DM), misperception bitsets.
pub fn resident_bytes(
    states: u64,
    options: usize,
    dms: usize,
    misperceiving: usize,
    dense_index_max_options: usize,
) -> u64 {
    let ns = states;
    let identity = options < 64 && ns == 1u64 << options;
    let table = if !identity && options <= dense_index_max_options {
        4u64 << options
    } else {
        0
    };
    8 * ns + table + 4 * ns * dms as u64 + misperceiving as u64 * ns.div_ceil(8)
}

/// A decision maker of the built conflict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DmInfo {
    pub id: String,
    pub name: String,
    /// Bit positions (DM-grouped option numbers − 1) of its options.
    pub options: Vec<usize>,
}

/// An option of the built conflict, in DM-grouped order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptInfo {
    pub id: String,
    pub name: String,
    pub dm: usize,
    pub reversibility: Reversibility,
    /// Its index in the spec.
    pub spec_index: usize,
}

/// A conflict ready for analysis. State `s` (0-based index) is GMCR state
/// number `s + 1`; its decimal code is `code(s)` with option k of the
/// DM-grouped order at bit k.
#[derive(Debug, Clone)]
pub struct Conflict {
    dms: Vec<DmInfo>,
    options: Vec<OptInfo>,
    spec_to_bit: Vec<usize>,
    own: Vec<u64>,
    take_only: u64,
    drop_only: u64,
    codes: Vec<u64>,
    /// Every option combination is feasible: index = code (no table lookup).
    identity: bool,
    dense: Option<Vec<u32>>,
    payoff: Vec<Vec<u32>>,
    blind: Vec<Option<BitSet>>,
    limits: Limits,
}

const NONE: u32 = u32::MAX;

impl Conflict {
    /// Builds with the default [`Limits`].
    pub fn build(spec: &ConflictSpec) -> Result<Conflict, ConflictError> {
        Conflict::build_with(spec, Limits::default())
    }

    /// Builds the state space, payoffs and misperceptions, checking sizes first.
    pub fn build_with(spec: &ConflictSpec, limits: Limits) -> Result<Conflict, ConflictError> {
        let n = spec.dms.len();
        if n < 2 {
            return Err(ConflictError::Model(format!(
                "a conflict needs at least 2 decision makers, found {n}"
            )));
        }
        let m = spec.options.len();
        for (k, o) in spec.options.iter().enumerate() {
            if o.dm >= n {
                return Err(ConflictError::Model(format!(
                    "option {k} (`{}`) names DM index {}, but there are only {n} DMs",
                    o.id, o.dm
                )));
            }
        }
        for (a, o) in spec.options.iter().enumerate() {
            if let Some(b) = spec.options[..a].iter().position(|p| p.id == o.id) {
                return Err(ConflictError::Model(format!(
                    "duplicate option id `{}` (options {b} and {a})",
                    o.id
                )));
            }
        }
        if m > limits.max_options || m > 62 {
            return Err(ConflictError::TooLarge {
                what: "the raw state space".into(),
                size: 1u128 << m.min(127),
                limit: 1u128 << limits.max_options.min(62),
                hint: format!(
                    "{m} options give 2^{m} option combinations; at most {} options are supported",
                    limits.max_options.min(62)
                ),
            });
        }
        let grouped = spec.grouped_order();
        let mut spec_to_bit = vec![0usize; m];
        for (bit, &k) in grouped.iter().enumerate() {
            spec_to_bit[k] = bit;
        }
        let options: Vec<OptInfo> = grouped
            .iter()
            .map(|&k| {
                let o = &spec.options[k];
                OptInfo {
                    id: o.id.clone(),
                    name: o.name.clone(),
                    dm: o.dm,
                    reversibility: o.reversibility,
                    spec_index: k,
                }
            })
            .collect();
        let mut own = vec![0u64; n];
        let mut take_only = 0u64;
        let mut drop_only = 0u64;
        for (bit, o) in options.iter().enumerate() {
            own[o.dm] |= 1 << bit;
            match o.reversibility {
                Reversibility::Both => {}
                Reversibility::TakeOnly => take_only |= 1 << bit,
                Reversibility::DropOnly => drop_only |= 1 << bit,
            }
        }
        let s2b = spec_to_bit.clone();
        let check = |f: &Formula, what: &str| -> Result<Formula, ConflictError> {
            let mut used = Vec::new();
            f.options(&mut used);
            if let Some(bad) = used.iter().find(|&&o| o >= m) {
                return Err(ConflictError::Model(format!(
                    "{what} refers to option index {bad}, but there are only {m} options"
                )));
            }
            Ok(f.map_options(&|o| s2b[o]))
        };
        let mut cubes = Vec::new();
        let mut general = Vec::new();
        for (k, f) in spec.infeasible.iter().enumerate() {
            let g = check(f, &format!("infeasible pattern {k}"))?;
            match g.as_cube() {
                Some(c) => cubes.push(c),
                None => general.push(g),
            }
        }
        let raw: u64 = 1u64 << m;
        let infeasible = |code: u64| {
            cubes.iter().any(|&(mk, v)| code & mk == v)
                || general.iter().any(|f| f.eval(&|b| code >> b & 1 == 1))
        };
        let words = spec
            .dms
            .iter()
            .map(|d| match &d.preferences {
                Preferences::Statements(v) => v.len().div_ceil(64),
                _ => 0,
            })
            .max()
            .unwrap_or(0);
        let misperceiving = spec
            .dms
            .iter()
            .filter(|d| !d.misperceived.is_empty())
            .count();
        let estimate = |states: u64| {
            let kept = resident_bytes(states, m, n, misperceiving, limits.dense_index_max_options)
                .saturating_add(states.saturating_mul(limits.caller_bytes_per_state));
            build_bytes(
                states,
                m,
                n,
                words,
                misperceiving,
                limits.dense_index_max_options,
            )
            .max(kept)
        };
        // The raw count bounds the feasible one; only if that bound is over
        // the limit are the feasible states counted (nothing stored) first.
        if estimate(raw) > limits.max_bytes {
            let feasible = (0..raw).filter(|&code| !infeasible(code)).count() as u64;
            let bytes = estimate(feasible);
            if bytes > limits.max_bytes {
                return Err(ConflictError::Memory {
                    what: format!(
                        "building the conflict ({m} options, {n} DMs){}",
                        if limits.caller_bytes_per_state > 0 {
                            " and keeping its results"
                        } else {
                            ""
                        }
                    ),
                    states: feasible,
                    bytes,
                    limit: limits.max_bytes,
                    hint:
                        "add infeasibility patterns, use fewer options, or raise the memory limit"
                            .into(),
                });
            }
        }
        let mut codes = Vec::new();
        for code in 0..raw {
            if !infeasible(code) {
                codes.push(code);
            }
        }
        if codes.is_empty() {
            return Err(ConflictError::Model(
                "every state is infeasible: the infeasibility patterns remove all option combinations"
                    .into(),
            ));
        }
        let identity = codes.len() as u64 == raw;
        let dense = if identity {
            None
        } else if m <= limits.dense_index_max_options {
            let mut d = vec![NONE; raw as usize];
            for (i, &c) in codes.iter().enumerate() {
                d[c as usize] = i as u32;
            }
            Some(d)
        } else {
            None
        };
        let dms: Vec<DmInfo> = spec
            .dms
            .iter()
            .enumerate()
            .map(|(i, d)| DmInfo {
                id: d.id.clone(),
                name: d.name.clone(),
                options: (0..m).filter(|&b| options[b].dm == i).collect(),
            })
            .collect();
        let mut c = Conflict {
            dms,
            options,
            spec_to_bit,
            own,
            take_only,
            drop_only,
            codes,
            identity,
            dense,
            payoff: Vec::new(),
            blind: Vec::new(),
            limits,
        };
        for (i, d) in spec.dms.iter().enumerate() {
            let p = c.payoffs_from(&d.preferences, &d.name)?;
            c.payoff.push(p);
            if d.misperceived.is_empty() {
                c.blind.push(None);
            } else {
                let fs = d
                    .misperceived
                    .iter()
                    .map(|f| check(f, &format!("misperception of DM {i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let codes = &c.codes;
                let b = BitSet::from_fn_par(c.len(), |s| {
                    let code = codes[s];
                    fs.iter().any(|f| f.eval(&|k| code >> k & 1 == 1))
                });
                c.blind.push(Some(b));
            }
        }
        Ok(c)
    }

    /// Dense payoff ranks (0 = worst) from a DM's preferences.
    fn payoffs_from(&self, p: &Preferences, dm: &str) -> Result<Vec<u32>, ConflictError> {
        let ns = self.len();
        match p {
            Preferences::Statements(stmts) => {
                let fs: Vec<Formula> = stmts
                    .iter()
                    .map(|f| {
                        f.map_options(&|o| self.spec_to_bit.get(o).copied().unwrap_or(usize::MAX))
                    })
                    .collect();
                let mut bad = Vec::new();
                for f in &fs {
                    f.options(&mut bad);
                }
                if bad.contains(&usize::MAX) {
                    return Err(ConflictError::Ranking {
                        dm: dm.into(),
                        message:
                            "a preference statement refers to an option index that does not exist"
                                .into(),
                    });
                }
                let w = fs.len().div_ceil(64).max(1);
                let mut keys = vec![0u64; ns * w];
                keys.par_chunks_mut(w * 1024)
                    .enumerate()
                    .for_each(|(ci, chunk)| {
                        for (r, key) in chunk.chunks_mut(w).enumerate() {
                            let code = self.codes[ci * 1024 + r];
                            for (k, f) in fs.iter().enumerate() {
                                if f.eval(&|b| code >> b & 1 == 1) {
                                    key[k / 64] |= 1 << (63 - k % 64);
                                }
                            }
                        }
                    });
                Ok(dense_ranks(ns, |a, b| {
                    keys[a * w..a * w + w].cmp(&keys[b * w..b * w + w])
                }))
            }
            Preferences::Ranking(groups) => {
                let mut pay = vec![NONE; ns];
                let g = groups.len() as u32;
                for (gi, grp) in groups.iter().enumerate() {
                    if grp.is_empty() {
                        return Err(ConflictError::Ranking {
                            dm: dm.into(),
                            message: format!("tie group {} is empty", gi + 1),
                        });
                    }
                    for &num in grp {
                        if num == 0 || num > ns {
                            return Err(ConflictError::Ranking {
                                dm: dm.into(),
                                message: format!(
                                    "state {num} does not exist; states are numbered 1..={ns}"
                                ),
                            });
                        }
                        if pay[num - 1] != NONE {
                            return Err(ConflictError::Ranking {
                                dm: dm.into(),
                                message: format!("state {num} appears more than once"),
                            });
                        }
                        pay[num - 1] = g - 1 - gi as u32;
                    }
                }
                let missing: Vec<String> = (0..ns)
                    .filter(|&s| pay[s] == NONE)
                    .map(|s| (s + 1).to_string())
                    .collect();
                if !missing.is_empty() {
                    return Err(ConflictError::Ranking {
                        dm: dm.into(),
                        message: format!(
                            "every feasible state must appear exactly once; missing: {}",
                            missing.join(", ")
                        ),
                    });
                }
                Ok(dense_ranks(ns, |a, b| pay[a].cmp(&pay[b])))
            }
            Preferences::Payoffs(v) => {
                if v.len() != ns {
                    return Err(ConflictError::Ranking {
                        dm: dm.into(),
                        message: format!("{} payoffs given for {ns} feasible states", v.len()),
                    });
                }
                Ok(dense_ranks(ns, |a, b| v[a].cmp(&v[b])))
            }
        }
    }

    /// The limits this conflict was built with (analyses check their memory
    /// estimates against `max_bytes`).
    pub fn limits(&self) -> Limits {
        self.limits
    }
    /// Bytes this built conflict keeps (see [`resident_bytes`]).
    pub fn resident_bytes(&self) -> u64 {
        resident_bytes(
            self.len() as u64,
            self.options.len(),
            self.n_dms(),
            self.blind.iter().filter(|b| b.is_some()).count(),
            self.limits.dense_index_max_options,
        )
    }
    /// Refuses a job whose working memory `extra` (bytes), added to what the
    /// conflict keeps, is above the limit; the message gives both sizes.
    pub fn check_memory(&self, what: &str, extra: u64, hint: &str) -> Result<(), ConflictError> {
        let bytes = self.resident_bytes().saturating_add(extra);
        if bytes > self.limits.max_bytes {
            return Err(ConflictError::Memory {
                what: what.to_string(),
                states: self.len() as u64,
                bytes,
                limit: self.limits.max_bytes,
                hint: hint.to_string(),
            });
        }
        Ok(())
    }
    /// True when DM `k`'s moves from any state reach exactly the other
    /// feasible states that differ only in k's options: all of k's options
    /// are reversible and k misperceives nothing. Then R_k is an equivalence
    /// relation minus the diagonal ("rows"), which some analyses exploit.
    pub fn row_complete(&self, k: usize) -> bool {
        self.own[k] & (self.take_only | self.drop_only) == 0 && self.blind[k].is_none()
    }
    /// True when every option combination is feasible (state index = code).
    pub fn all_feasible(&self) -> bool {
        self.identity
    }
    /// Number of feasible states.
    pub fn len(&self) -> usize {
        self.codes.len()
    }
    /// Never true for a built conflict (kept for clippy's sake).
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
    pub fn n_dms(&self) -> usize {
        self.dms.len()
    }
    pub fn dms(&self) -> &[DmInfo] {
        &self.dms
    }
    /// Options in DM-grouped order (bit k = option k).
    pub fn options(&self) -> &[OptInfo] {
        &self.options
    }
    /// Bit position of a spec option.
    pub fn bit_of(&self, spec_option: usize) -> usize {
        self.spec_to_bit[spec_option]
    }
    /// Decimal code of state index `s`.
    pub fn code(&self, s: usize) -> u64 {
        self.codes[s]
    }
    /// GMCR state number (1-based) of state index `s`.
    pub fn number(&self, s: usize) -> usize {
        s + 1
    }
    /// Y/N string of state `s`, option 1 first.
    pub fn pattern(&self, s: usize) -> String {
        let c = self.codes[s];
        (0..self.options.len())
            .map(|k| if c >> k & 1 == 1 { 'Y' } else { 'N' })
            .collect()
    }
    /// Index of the feasible state with this code.
    #[inline]
    pub fn index_of(&self, code: u64) -> Option<usize> {
        if self.identity {
            return ((code as usize) < self.codes.len()).then_some(code as usize);
        }
        match &self.dense {
            Some(d) => match d.get(code as usize) {
                Some(&i) if i != NONE => Some(i as usize),
                _ => None,
            },
            None => self.codes.binary_search(&code).ok(),
        }
    }
    /// State index from a 1-based number, checked.
    pub fn state_by_number(&self, number: usize) -> Result<usize, ConflictError> {
        if number == 0 || number > self.len() {
            Err(ConflictError::NoSuchState {
                number,
                count: self.len(),
            })
        } else {
            Ok(number - 1)
        }
    }
    /// DM index by id or name (case-insensitive) or 1-based number.
    pub fn dm_index(&self, key: &str) -> Result<usize, ConflictError> {
        let k = key.trim();
        if let Some(i) = self
            .dms
            .iter()
            .position(|d| d.id.eq_ignore_ascii_case(k) || d.name.eq_ignore_ascii_case(k))
        {
            return Ok(i);
        }
        if let Ok(n) = k.parse::<usize>() {
            if n >= 1 && n <= self.dms.len() {
                return Ok(n - 1);
            }
        }
        let names = self
            .dms
            .iter()
            .flat_map(|d| [d.id.as_str(), d.name.as_str()]);
        Err(ConflictError::UnknownDm(
            key.to_string(),
            negotium_suggest::did_you_mean(k, names),
        ))
    }
    /// States satisfying a formula over spec option indices.
    pub fn states_matching(&self, f: &Formula) -> Vec<usize> {
        let g = f.map_options(&|o| self.spec_to_bit.get(o).copied().unwrap_or(63));
        (0..self.len())
            .filter(|&s| {
                let c = self.codes[s];
                g.eval(&|b| c >> b & 1 == 1)
            })
            .collect()
    }
    /// DM `i`'s payoff rank of state `s` (higher = preferred; only order matters).
    #[inline]
    pub fn payoff(&self, i: usize, s: usize) -> u32 {
        self.payoff[i][s]
    }
    /// All of DM `i`'s payoff ranks.
    pub fn payoffs(&self, i: usize) -> &[u32] {
        &self.payoff[i]
    }
    /// Replaces DM `i`'s payoffs (used by inverse analysis); any integers, higher = better.
    pub fn set_payoffs(&mut self, i: usize, pay: Vec<u32>) {
        debug_assert_eq!(pay.len(), self.len());
        self.payoff[i] = pay;
    }
    /// DM `i`'s ranking as tie groups of state numbers, best first.
    pub fn ranking(&self, i: usize) -> Vec<Vec<usize>> {
        let mut idx: Vec<usize> = (0..self.len()).collect();
        idx.sort_by(|&a, &b| self.payoff[i][b].cmp(&self.payoff[i][a]).then(a.cmp(&b)));
        let mut out: Vec<Vec<usize>> = Vec::new();
        let mut last = None;
        for s in idx {
            if last == Some(self.payoff[i][s]) {
                if let Some(g) = out.last_mut() {
                    g.push(s + 1);
                }
            } else {
                out.push(vec![s + 1]);
                last = Some(self.payoff[i][s]);
            }
        }
        out
    }
    /// Is state `s` hidden from DM `i` (misperception)?
    #[inline]
    pub fn blind(&self, i: usize, s: usize) -> bool {
        self.blind[i].as_ref().is_some_and(|b| b.contains(s))
    }
    /// Bit mask of DM `i`'s options.
    pub fn own_mask(&self, i: usize) -> u64 {
        self.own[i]
    }
    /// The options DM `i` may change at a state with this code (its own
    /// options, except taken take-only and untaken drop-only ones).
    #[inline]
    pub fn flippable_mask(&self, i: usize, code: u64) -> u64 {
        self.flippable(i, code)
    }
    #[inline]
    fn flippable(&self, i: usize, code: u64) -> u64 {
        self.own[i] & !(code & self.take_only) & !(!code & self.drop_only)
    }
    /// Calls `f(q)` for every q in R_i(s): feasible, differs from s only in
    /// i's options, respects reversibility and i's misperceptions. Order: by
    /// decreasing changed-bit mask (fixed, so that shortest paths found by
    /// searches are reproducible).
    #[inline]
    pub fn for_each_move(&self, i: usize, s: usize, mut f: impl FnMut(usize)) {
        if self.blind(i, s) {
            return;
        }
        let code = self.codes[s];
        let fl = self.flippable(i, code);
        let mut d = fl;
        while d != 0 {
            if let Some(q) = self.index_of(code ^ d) {
                if !self.blind(i, q) {
                    f(q);
                }
            }
            d = (d - 1) & fl;
        }
    }
    /// Like [`Conflict::for_each_move`], in ascending state order.
    #[inline]
    pub fn for_each_move_sorted(&self, i: usize, s: usize, mut f: impl FnMut(usize)) {
        if self.blind(i, s) {
            return;
        }
        let code = self.codes[s];
        let fl = self.flippable(i, code);
        // Targets in ascending code (= state) order: the bits outside `fl`
        // are fixed, so enumerate the sub-masks e of `fl` in increasing order.
        let base = code & !fl;
        let me = code & fl;
        let mut e = 0u64;
        loop {
            if e != me {
                if let Some(q) = self.index_of(base | e) {
                    if !self.blind(i, q) {
                        f(q);
                    }
                }
            }
            if e == fl {
                break;
            }
            e = ((e | !fl).wrapping_add(1)) & fl;
        }
    }
    /// Calls `f(q)` for every feasible q that differs from s only in options of
    /// `mask`, respecting reversibility (moves of a bloc; no misperceptions).
    pub fn for_each_move_of_mask(&self, mask: u64, s: usize, mut f: impl FnMut(usize)) {
        let code = self.codes[s];
        let fl = mask & !(code & self.take_only) & !(!code & self.drop_only);
        let mut d = fl;
        while d != 0 {
            if let Some(q) = self.index_of(code ^ d) {
                f(q);
            }
            d = (d - 1) & fl;
        }
    }
    /// Is q ∈ R_i(s)?
    #[inline]
    pub fn is_move(&self, i: usize, s: usize, q: usize) -> bool {
        if s == q || self.blind(i, s) || self.blind(i, q) {
            return false;
        }
        let code = self.codes[s];
        (code ^ self.codes[q]) & !self.flippable(i, code) == 0
    }
    /// Calls `f(q)` for every q with s ∈ R_i(q) (reverse moves).
    #[inline]
    pub fn for_each_pred(&self, i: usize, s: usize, mut f: impl FnMut(usize)) {
        if self.blind(i, s) {
            return;
        }
        let code = self.codes[s];
        let own = self.own[i];
        let mut d = own;
        while d != 0 {
            let qc = code ^ d;
            if d & !self.flippable(i, qc) == 0 {
                if let Some(q) = self.index_of(qc) {
                    if !self.blind(i, q) {
                        f(q);
                    }
                }
            }
            d = (d - 1) & own;
        }
    }
    /// Calls `f(q)` for every feasible q from which a move changing only
    /// options of `mask` (reversibility respected) reaches s: the reverse of
    /// [`Conflict::for_each_move_of_mask`].
    pub fn for_each_pred_of_mask(&self, mask: u64, s: usize, mut f: impl FnMut(usize)) {
        let code = self.codes[s];
        let mut d = mask;
        while d != 0 {
            let qc = code ^ d;
            let fl = mask & !(qc & self.take_only) & !(!qc & self.drop_only);
            if d & !fl == 0 {
                if let Some(q) = self.index_of(qc) {
                    f(q);
                }
            }
            d = (d - 1) & mask;
        }
    }
    /// True when some DM misperceives some state.
    pub fn has_misperceptions(&self) -> bool {
        self.blind.iter().any(|b| b.is_some())
    }
    /// R_i(s) as a vector.
    pub fn moves(&self, i: usize, s: usize) -> Vec<usize> {
        let mut v = Vec::new();
        self.for_each_move_sorted(i, s, |q| v.push(q));
        v
    }
    /// R_i⁺(s): the unilateral improvements.
    pub fn improvements(&self, i: usize, s: usize) -> Vec<usize> {
        let p = self.payoff[i][s];
        let mut v = Vec::new();
        self.for_each_move_sorted(i, s, |q| {
            if self.payoff[i][q] > p {
                v.push(q)
            }
        });
        v
    }
}

/// Dense ranks 0.. in increasing order of `cmp` (equal keys share a rank).
fn dense_ranks(n: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering + Sync) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..n as u32).collect();
    // Ties broken by index: the same permutation whatever the thread count.
    idx.par_sort_unstable_by(|&a, &b| cmp(a as usize, b as usize).then(a.cmp(&b)));
    let idx: Vec<usize> = idx.into_iter().map(|x| x as usize).collect();
    let mut out = vec![0u32; n];
    let mut r = 0u32;
    for k in 0..n {
        if k > 0 && cmp(idx[k - 1], idx[k]) != std::cmp::Ordering::Equal {
            r += 1;
        }
        out[idx[k]] = r;
    }
    out
}
