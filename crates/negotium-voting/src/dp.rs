//! Swing counting by generating functions: the coefficients of
//! ∏(1 + y·x^{wᵢ}) over the members without a veto (x ranging over one or
//! more weight dimensions, flattened in mixed radix), then each member's
//! share by dividing its factor back out. Gives, per member and per
//! coalition size, the number of coalitions in which it is a swing.

use crate::count::Count;
use crate::error::VotingError;
use crate::structure::Structure;

/// Exact swing counts.
#[derive(Debug, Clone)]
pub(crate) struct Swings<C> {
    /// `by_size[i][t]`: coalitions S in which member i is a swing, with |S| − 1 = t.
    pub by_size: Vec<Vec<C>>,
    /// `winning_by_size[s]`: winning coalitions of s members.
    pub winning_by_size: Vec<C>,
}

/// The table layout chosen for a game.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Flat weight range (cells per size row). With one weight dimension and
    /// no binding size threshold, the range stops below the quota: coalitions
    /// at or above it never lose, so they never matter to a swing.
    pub x: usize,
    /// Mixed-radix strides per dimension.
    pub radix: Vec<usize>,
}

impl Layout {
    pub fn of(st: &Structure) -> Result<Layout, VotingError> {
        let m = st.free.len();
        if st.dims.len() == 1 && st.size_min <= st.vetoers.len() + 1 {
            let q = st.dims[0].1 - st.base_w[0];
            return Ok(Layout {
                x: q as usize,
                radix: vec![1],
            });
        }
        let mut radix = Vec::new();
        let mut x: u128 = 1;
        for (w, _) in &st.dims {
            radix.push(x as usize);
            let tot: u128 = st.free.iter().map(|&i| w[i] as u128).sum();
            x *= tot + 1;
            if x > (1u128 << 40) {
                return Err(VotingError::TooBig {
                    what: format!(
                        "the weight table would have more than 2^40 cells per coalition size ({} weight dimensions, {} members)",
                        st.dims.len(),
                        m
                    ),
                });
            }
        }
        Ok(Layout {
            x: x as usize,
            radix,
        })
    }

    /// Cells of the coefficient table.
    pub fn cells(&self, st: &Structure) -> u128 {
        (st.free.len() as u128 + 1) * self.x as u128
    }

    pub fn offset(&self, st: &Structure, i: usize) -> usize {
        st.dims
            .iter()
            .zip(&self.radix)
            .map(|((w, _), r)| w[i] as usize * r)
            .sum()
    }

    fn decode(&self, st: &Structure, mut flat: usize, out: &mut [u64]) {
        for j in (0..st.dims.len()).rev() {
            out[j] = (flat / self.radix[j]) as u64;
            flat %= self.radix[j];
        }
        for (o, b) in out.iter_mut().zip(&st.base_w) {
            *o += b;
        }
    }
}

/// A coefficient table: rows are coalition sizes, columns flat weights,
/// with the range of possibly non-zero columns tracked per row.
#[derive(Debug, Clone)]
pub(crate) struct Table<C> {
    pub x: usize,
    pub rows: usize,
    pub data: Vec<C>,
    /// Per row, columns `lo..hi` may be non-zero (empty when `lo >= hi`).
    pub lo: Vec<usize>,
    pub hi: Vec<usize>,
    /// Highest row that may be non-zero.
    pub filled: usize,
}

impl<C: Count> Table<C> {
    /// The polynomial 1.
    pub fn unit(rows: usize, x: usize) -> Table<C> {
        let mut data = vec![C::nil(); rows * x];
        data[0] = C::from_u128(1);
        let mut hi = vec![0; rows];
        hi[0] = 1;
        Table {
            x,
            rows,
            data,
            lo: vec![0; rows],
            hi,
            filled: 0,
        }
    }

    /// Multiplies by (1 + y·x^o), dropping columns at or beyond `x`.
    pub fn multiply(&mut self, o: usize) {
        let x = self.x;
        if o >= x {
            return;
        }
        for s in (0..=self.filled).rev() {
            if s + 1 >= self.rows {
                continue;
            }
            let (a, b) = (self.lo[s], self.hi[s].min(x - o));
            if a >= b {
                continue;
            }
            let (lo_part, hi_part) = self.data.split_at_mut((s + 1) * x);
            let src = &lo_part[s * x + a..s * x + b];
            let dst = &mut hi_part[a + o..b + o];
            for (d, v) in dst.iter_mut().zip(src) {
                d.add_to(v);
            }
            if self.lo[s + 1] >= self.hi[s + 1] {
                self.lo[s + 1] = a + o;
                self.hi[s + 1] = b + o;
            } else {
                self.lo[s + 1] = self.lo[s + 1].min(a + o);
                self.hi[s + 1] = self.hi[s + 1].max(b + o);
            }
        }
        self.filled = (self.filled + 1).min(self.rows - 1);
    }
}

/// `out = c / (1 + y·x^o)` on rows `0..rows` and columns `0..cols` (exact:
/// c is a multiple; entries outside the block are left as they are).
pub(crate) fn divide<C: Count>(
    c: &[C],
    out: &mut [C],
    x: usize,
    rows: usize,
    cols: usize,
    o: usize,
) {
    for s in 0..rows {
        for t in 0..cols.min(x) {
            let mut v = c[s * x + t].clone();
            if s >= 1 && t >= o {
                let prev = out[(s - 1) * x + t - o].clone();
                v.sub_from(&prev);
            }
            out[s * x + t] = v;
        }
    }
}

fn binomials<C: Count>(m: usize) -> Vec<C> {
    let mut row = vec![C::nil(); m + 1];
    row[0] = C::from_u128(1);
    for k in 1..=m {
        for j in (1..=k).rev() {
            let prev = row[j - 1].clone();
            row[j].add_to(&prev);
        }
    }
    row
}

/// Swing counts of every member.
pub(crate) fn swings<C: Count>(st: &Structure) -> Result<Swings<C>, VotingError> {
    let lay = Layout::of(st)?;
    let m = st.free.len();
    let nv = st.vetoers.len();
    let n = st.n;
    let x = lay.x;
    // Lightest first keeps the early rows narrow.
    let mut by_weight = st.free.clone();
    by_weight.sort_by_key(|&i| lay.offset(st, i));
    let mut table = Table::<C>::unit(m + 1, x);
    for &i in &by_weight {
        table.multiply(lay.offset(st, i));
    }
    let c = &table.data;
    let d = st.dims.len();
    // Row prefix sums: ps[s][t] = Σ_{x<t} c[s][x] (one weight dimension).
    let ps: Vec<C> = if d <= 1 {
        let mut ps = vec![C::nil(); (m + 1) * (x + 1)];
        for s in 0..=m {
            let mut acc = C::nil();
            for t in 0..x {
                acc.add_to(&c[s * x + t]);
                ps[s * (x + 1) + t + 1] = acc.clone();
            }
        }
        ps
    } else {
        Vec::new()
    };
    let mut wbuf = vec![0u64; d];
    // Losing coalitions by size; winning = C(m, s) − losing.
    let binom = binomials::<C>(m);
    let mut winning_by_size = vec![C::nil(); n + 1];
    for s in 0..=m {
        let mut lose = C::nil();
        if d <= 1 {
            let base = st.base_w.first().copied().unwrap_or(0);
            let t = match st.threshold(nv + s) {
                Some(q) => q.saturating_sub(base).min(x as u64) as usize,
                None => x,
            };
            lose = ps[s * (x + 1) + t].clone();
        } else {
            for t in 0..x {
                let v = &c[s * x + t];
                if v.is_nil() {
                    continue;
                }
                lay.decode(st, t, &mut wbuf);
                if !st.pred(nv + s, &wbuf) {
                    lose.add_to(v);
                }
            }
        }
        let mut win = binom[s].clone();
        win.sub_from(&lose);
        winning_by_size[nv + s] = win;
    }
    let mut by_size = vec![vec![C::nil(); n]; n];
    for &v in &st.vetoers {
        by_size[v].clone_from_slice(&winning_by_size[1..=n]);
    }
    let mut dd = if d <= 1 {
        Vec::new()
    } else {
        vec![C::nil(); m.max(1) * x]
    };
    for &i in &st.free {
        let o = lay.offset(st, i);
        let row = &mut by_size[i];
        if d <= 1 {
            let wi = st.weight1(i);
            let base = st.base_w.first().copied().unwrap_or(0);
            for s in 0..m {
                // T (free part of s members) loses and T + i wins: free weight
                // in [need(s+1) − wᵢ, need(s)).
                let hi = match st.threshold(nv + s) {
                    Some(q) => q.saturating_sub(base),
                    None => u64::MAX,
                };
                let lo = match st.threshold(nv + s + 1) {
                    Some(q) => q.saturating_sub(base).saturating_sub(wi),
                    None => continue,
                };
                let hi = hi.min(x as u64);
                if lo >= hi {
                    continue;
                }
                // Coefficients of c / (1 + y·x^{wᵢ}) are Σ_k (−1)^k c[s−k][x − k·wᵢ]:
                // the window sum is an alternating sum of window sums of c's rows.
                let (mut pos, mut neg) = (C::nil(), C::nil());
                for k in 0..=s {
                    let shift = k as u64 * wi;
                    if shift >= hi {
                        break;
                    }
                    let r = s - k;
                    let a = lo.saturating_sub(shift) as usize;
                    let b = (hi - shift) as usize;
                    let mut v = ps[r * (x + 1) + b].clone();
                    v.sub_from(&ps[r * (x + 1) + a]);
                    if k % 2 == 0 {
                        pos.add_to(&v);
                    } else {
                        neg.add_to(&v);
                    }
                }
                pos.sub_from(&neg);
                row[nv + s] = pos;
            }
        } else {
            divide(c, &mut dd, x, m, x, o);
            let wi: Vec<u64> = st.dims.iter().map(|(w, _)| w[i]).collect();
            let mut wplus = vec![0u64; d];
            for s in 0..m {
                let mut acc = C::nil();
                for t in 0..x {
                    let v = &dd[s * x + t];
                    if v.is_nil() {
                        continue;
                    }
                    lay.decode(st, t, &mut wbuf);
                    if st.pred(nv + s, &wbuf) {
                        continue;
                    }
                    for j in 0..d {
                        wplus[j] = wbuf[j] + wi[j];
                    }
                    if st.pred(nv + s + 1, &wplus) {
                        acc.add_to(v);
                    }
                }
                row[nv + s] = acc;
            }
        }
    }
    Ok(Swings {
        by_size,
        winning_by_size,
    })
}
