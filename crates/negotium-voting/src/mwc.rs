//! Holler, Deegan–Packel and Johnston by dynamic programming, for games with
//! at most one weight dimension left after folding (any single weighted
//! game, the UN Security Council, the EU Council's double majority).
//!
//! With one weight dimension, member j of a winning S is critical exactly when
//! its weight exceeds t(S) = w(S) − (least weight with which |S| − 1 members
//! win): the critical members of S are its heaviest ones. Sorting the members
//! without a veto by weight (descending), every winning S has one *cut* k
//! (the number of members, in or out of S, heavier than t(S)); S splits into
//! H ⊆ the first k (all critical) and L ⊆ the rest (none critical). For each
//! cut we build a linear functional G_k on H's (size, weight) table from L's
//! table, and fold all cuts into one functional E by a backward recurrence,
//! so that every member's total is one dot product: O(m · cells) overall
//! plus O(m² · weight) per cut for Johnston's window sums.

use crate::count::Count;
use crate::dp::Table;
use crate::structure::Structure;

/// Exact totals (Deegan–Packel and Johnston scaled by `scale`).
#[derive(Debug, Clone)]
pub(crate) struct MwcTotals<C> {
    /// Minimal winning coalitions containing each member.
    pub holler: Vec<C>,
    /// Σ over minimal winning S ∋ i of scale/|S|.
    pub deegan: Vec<C>,
    /// Σ over winning S with i critical of scale/(critical members of S).
    pub johnston: Vec<C>,
    /// Number of minimal winning coalitions.
    pub mwc: C,
}

/// Requires `st.dims.len() <= 1`; `scale` must be divisible by 1..=n.
pub(crate) fn totals<C: Count>(st: &Structure, scale: &C) -> MwcTotals<C> {
    debug_assert!(st.dims.len() <= 1);
    let n = st.n;
    let nv = st.vetoers.len();
    let base = st.base_w.first().copied().unwrap_or(0);
    let mut order = st.free.clone();
    order.sort_by(|&a, &b| st.weight1(b).cmp(&st.weight1(a)).then(a.cmp(&b)));
    let u: Vec<u64> = order.iter().map(|&i| st.weight1(i)).collect();
    let m = order.len();
    let total_u: u64 = u.iter().sum();
    let x = total_u as usize + 1;
    let rows = m + 1;
    let cells = rows * x;
    // prefix weight sums: pre[k] = u_0 + … + u_{k−1}
    let mut pre = vec![0u64; m + 1];
    for k in 0..m {
        pre[k + 1] = pre[k] + u[k];
    }
    // scale / c for c = 1..=n
    let per_c: Vec<C> = (0..=n)
        .map(|c| {
            if c == 0 {
                C::nil()
            } else {
                div_small(scale, c as u128)
            }
        })
        .collect();

    // P_m: the full table.
    let mut full = Table::<C>::unit(rows, x);
    for &w in &u {
        full.multiply(w as usize);
    }
    let mut p = full.data;
    // S_m = 1
    let mut suffix = Table::<C>::unit(rows, x);
    let mut s_len = 0usize; // members in the suffix table
    let mut s_w = 0usize; // their total weight

    let mut eh = vec![C::nil(); cells];
    let mut ed = vec![C::nil(); cells];
    let mut ej = vec![C::nil(); cells];
    let mut ps: Vec<C> = vec![C::nil(); rows * (x + 1)];
    let mut acc: Vec<C> = vec![C::nil(); x];
    let mut hit: Vec<bool> = vec![false; x];

    // Total-weight window [lo, hi) of a winning S of s members whose cut is k.
    let window = |k: usize, s: usize| -> Option<(u64, u64)> {
        let win = st.threshold(s)?;
        let (mut lo, mut hi) = (win, u64::MAX);
        match st.threshold(s - 1) {
            None => {
                if k != m {
                    return None;
                }
            }
            Some(nd) => {
                if k >= 1 {
                    hi = hi.min(nd + u[k - 1]);
                }
                if k < m {
                    lo = lo.max(nd + u[k]);
                }
            }
        }
        if lo < hi {
            Some((lo, hi))
        } else {
            None
        }
    };

    // Adds G_k (rows 0..=k, columns 0..=pre[k]; zero elsewhere) into E.
    let mut cut = |k: usize,
                   suffix: &Table<C>,
                   s_len: usize,
                   s_w: usize,
                   eh: &mut [C],
                   ed: &mut [C],
                   ej: &mut [C]| {
        let sx = s_w + 1; // columns of the suffix table that may be non-zero
                          // ps[l][t] = Σ_{l' ≤ l} Σ_{w < t} S[l'][w]: prefix sums over weight, then size.
        for l in 0..=s_len {
            let mut a = C::nil();
            ps[l * (x + 1)] = C::nil();
            for t in 0..sx {
                a.add_to(&suffix.data[l * x + t]);
                ps[l * (x + 1) + t + 1] = a.clone();
            }
            if l > 0 {
                let (prev, cur) = ps.split_at_mut(l * (x + 1));
                let prev = &prev[(l - 1) * (x + 1)..];
                for t in 0..=sx {
                    cur[t].add_to(&prev[t]);
                }
            }
        }
        let wmax = pre[k] as usize;
        for h in 0..=k {
            let c = nv + h;
            if c == 0 {
                continue;
            }
            for v in acc[..=wmax].iter_mut() {
                *v = C::nil();
            }
            for v in hit[..=wmax].iter_mut() {
                *v = false;
            }
            // L empty and weightless: the coalition is H plus the veto members.
            if let Some((lo, hi)) = window(k, nv + h) {
                for (wh, f) in hit[..=wmax].iter_mut().enumerate() {
                    let off = base + wh as u64;
                    *f = lo <= off && off < hi;
                }
            }
            // Runs of suffix sizes l sharing one window are summed at once.
            let mut l1 = 0;
            while l1 <= s_len {
                let win = window(k, nv + h + l1);
                let mut l2 = l1;
                while l2 < s_len && window(k, nv + h + l2 + 1) == win {
                    l2 += 1;
                }
                if let Some((lo, hi)) = win {
                    let top = &ps[l2 * (x + 1)..l2 * (x + 1) + sx + 1];
                    let below = if l1 > 0 {
                        Some(&ps[(l1 - 1) * (x + 1)..(l1 - 1) * (x + 1) + sx + 1])
                    } else {
                        None
                    };
                    for (wh, slot) in acc[..=wmax].iter_mut().enumerate() {
                        let off = base + wh as u64;
                        if off >= hi {
                            break;
                        }
                        let a = lo.saturating_sub(off).min(sx as u64) as usize;
                        let b = if hi == u64::MAX {
                            sx
                        } else {
                            (hi - off).min(sx as u64) as usize
                        };
                        if a >= b {
                            continue;
                        }
                        // (top[b] − top[a]) − (below[b] − below[a]), kept
                        // non-negative at every step for big integers.
                        let mut v = top[b].clone();
                        if let Some(bl) = below {
                            v.add_to(&bl[a]);
                        }
                        v.sub_from(&top[a]);
                        if let Some(bl) = below {
                            v.sub_from(&bl[b]);
                        }
                        slot.add_to(&v);
                    }
                }
                l1 = l2 + 1;
            }
            for wh in 0..=wmax {
                let idx = h * x + wh;
                if hit[wh] {
                    eh[idx].add_to(&C::from_u128(1));
                    ed[idx].add_to(&per_c[c]);
                }
                if !acc[wh].is_nil() {
                    ej[idx].add_to(&acc[wh].mul(&per_c[c]));
                }
            }
        }
    };

    cut(m, &suffix, s_len, s_w, &mut eh, &mut ed, &mut ej);

    let mut holler = vec![C::nil(); n];
    let mut deegan = vec![C::nil(); n];
    let mut johnston = vec![C::nil(); n];
    for a in (0..m).rev() {
        let w = u[a] as usize;
        // P_a = P_{a+1} / (1 + y x^{u_a}), on rows 0..=a and columns 0..=pre[a]
        divide_in_place(&mut p, x, a + 1, pre[a] as usize + 1, w);
        // member order[a]: Σ P_a[h][t] · E^{(a+1)}[h+1][t+u_a]
        let (mut th, mut td, mut tj) = (C::nil(), C::nil(), C::nil());
        let cols = pre[a] as usize + 1;
        for h in 0..=a {
            let prow = &p[h * x..h * x + cols];
            let from = (h + 1) * x + w;
            let (rh, rd, rj) = (
                &eh[from..from + cols],
                &ed[from..from + cols],
                &ej[from..from + cols],
            );
            for t in 0..cols {
                let pv = &prow[t];
                if C::SKIP_ZEROS && pv.is_nil() {
                    continue;
                }
                th.add_to(&pv.mul(&rh[t]));
                td.add_to(&pv.mul(&rd[t]));
                tj.add_to(&pv.mul(&rj[t]));
            }
        }
        let i = order[a];
        holler[i] = th;
        deegan[i] = td;
        johnston[i] = tj;
        // S_a = S_{a+1} · (1 + y x^{u_a})
        suffix.multiply(w);
        s_len += 1;
        s_w += w;
        // E^{(a)} = G_a + adj_a(E^{(a+1)}) on rows 0..=a, columns 0..=pre[a]:
        // adj(F)[h][t] = F[h][t] + F[h+1][t+u_a].
        for e in [&mut eh, &mut ed, &mut ej] {
            for h in 0..=a {
                let (lo, hi) = e.split_at_mut((h + 1) * x);
                let dst = &mut lo[h * x..h * x + cols];
                let src = &hi[w..w + cols];
                for (d, v) in dst.iter_mut().zip(src) {
                    if C::SKIP_ZEROS && v.is_nil() {
                        continue;
                    }
                    d.add_to(v);
                }
            }
        }
        cut(a, &suffix, s_len, s_w, &mut eh, &mut ed, &mut ej);
    }
    let mwc = eh[0].clone();
    for &v in &st.vetoers {
        holler[v] = eh[0].clone();
        deegan[v] = ed[0].clone();
        johnston[v] = ej[0].clone();
    }
    MwcTotals {
        holler,
        deegan,
        johnston,
        mwc,
    }
}

/// `c ← c / (1 + y·x^o)` on rows `0..rows`, columns `0..cols` (row s − 1 is
/// already the quotient when row s is computed).
fn divide_in_place<C: Count>(c: &mut [C], x: usize, rows: usize, cols: usize, o: usize) {
    for s in 1..rows {
        let (done, cur) = c.split_at_mut(s * x);
        let prev = &done[(s - 1) * x..];
        for t in o..cols.min(x) {
            let v = &prev[t - o];
            if !v.is_nil() {
                cur[t].sub_from(v);
            }
        }
    }
}

/// `a / k` for a small k that divides a.
fn div_small<C: Count>(a: &C, k: u128) -> C {
    let q = a.to_big() / num_bigint::BigUint::from(k);
    let mut out = C::nil();
    let radix = C::from_u128(1u128 << 64);
    for d in q.to_u64_digits().iter().rev() {
        out = out.mul(&radix);
        out.add_to(&C::from_u128(*d as u128));
    }
    out
}
