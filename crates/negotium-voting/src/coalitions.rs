//! Minimal winning and minimal blocking coalitions, listed when the body is
//! small enough to enumerate (n ≤ 20) and counted in full.

use serde::Serialize;

use crate::error::VotingError;
use crate::game::Game;

/// Largest body whose coalitions are listed.
pub const MAX_LISTED_MEMBERS: usize = 20;

/// Minimal winning and blocking coalitions (member indices, ascending).
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub minimal_winning_count: u64,
    pub minimal_blocking_count: u64,
    /// At most `limit` coalitions each; empty when there are more than `limit`.
    pub minimal_winning: Vec<Vec<usize>>,
    pub minimal_blocking: Vec<Vec<usize>>,
}

/// Enumerates every coalition; lists each family when it has at most `limit` members.
pub fn minimal_coalitions(game: &Game, limit: usize) -> Result<Listing, VotingError> {
    let n = game.n();
    if n > MAX_LISTED_MEMBERS {
        return Err(VotingError::TooBig {
            what: format!(
                "listing coalitions of {n} members means enumerating 2^{n}; at most {MAX_LISTED_MEMBERS} members are listed"
            ),
        });
    }
    let full = (1u64 << n) - 1;
    let win: Vec<bool> = (0..=full).map(|m| game.wins_mask(m)).collect();
    let members = |m: u64| (0..n).filter(|&i| m >> i & 1 == 1).collect::<Vec<_>>();
    let mut out = Listing {
        minimal_winning_count: 0,
        minimal_blocking_count: 0,
        minimal_winning: Vec::new(),
        minimal_blocking: Vec::new(),
    };
    let mut mw = Vec::new();
    let mut mb = Vec::new();
    for m in 0..=full {
        let bits = (0..n).filter(|&i| m >> i & 1 == 1);
        if win[m as usize] && bits.clone().all(|i| !win[(m & !(1 << i)) as usize]) {
            out.minimal_winning_count += 1;
            if mw.len() <= limit {
                mw.push(members(m));
            }
        }
        // m blocks when its complement loses; minimal when every smaller set fails to block.
        let blocks = |b: u64| !win[(full & !b) as usize];
        if blocks(m) && bits.clone().all(|i| !blocks(m & !(1 << i))) {
            out.minimal_blocking_count += 1;
            if mb.len() <= limit {
                mb.push(members(m));
            }
        }
    }
    if mw.len() <= limit {
        out.minimal_winning = mw;
    }
    if mb.len() <= limit {
        out.minimal_blocking = mb;
    }
    Ok(out)
}
