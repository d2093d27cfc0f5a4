//! Published reference conflicts (research notes §3): rankings from
//! statements, equilibria per concept, per-DM stability, inverse counts.

mod common;
use common::*;
use negotium_conflict::stability::Concept::*;
use negotium_conflict::*;

#[test]
fn prisoners_dilemma() {
    let c = prisoners();
    assert_eq!(c.len(), 4);
    assert_eq!(
        (0..4).map(|s| c.pattern(s)).collect::<Vec<_>>(),
        ["NN", "YN", "NY", "YY"]
    );
    assert_eq!(flat(&c.ranking(0)), [3, 4, 1, 2]);
    assert_eq!(flat(&c.ranking(1)), [2, 4, 1, 3]);
    assert_eq!(eq(&c, Nash), [1]);
    for k in [Gmr, Smr, Seq, Sim, SeqSim] {
        assert_eq!(eq(&c, k), [1, 4], "{k:?}");
    }
}

#[test]
fn chicken() {
    let c = common::chicken();
    assert_eq!(eq(&c, Nash), [2, 3]);
    assert_eq!(eq(&c, Gmr), [1, 2, 3]);
    assert_eq!(eq(&c, Smr), [1, 2, 3]);
    assert_eq!(eq(&c, Seq), [2, 3]);
}

#[test]
fn syria_iraq_rankings_and_equilibria() {
    let c = syria_iraq();
    assert_eq!(c.len(), 6);
    assert_eq!(
        (0..6).map(|s| c.pattern(s)).collect::<Vec<_>>(),
        ["NNN", "YNN", "NYN", "NNY", "YNY", "NYY"]
    );
    // Handout Table 3.
    assert_eq!(flat(&c.ranking(0)), [1, 3, 6, 2, 4, 5]);
    assert_eq!(flat(&c.ranking(1)), [2, 4, 6, 1, 5, 3]);
    assert_eq!(eq(&c, Nash), [6]);
    assert_eq!(eq(&c, Gmr), [1, 6]);
    assert_eq!(eq(&c, Smr), [6]);
    assert_eq!(eq(&c, Seq), [6]);
    assert_eq!(eq(&c, Sim), [6]);
    // Per DM: state 1 stable for Syria under all; for Iraq GMR only.
    for k in [Nash, Gmr, Smr, Seq, Sim] {
        assert!(stable(&c, 0, k).contains(&1), "{k:?}");
    }
    assert!(stable(&c, 1, Gmr).contains(&1));
    for k in [Nash, Smr, Seq, Sim] {
        assert!(!stable(&c, 1, k).contains(&1), "{k:?}");
    }
    // State 2 stable for Iraq only; state 6 for both.
    assert!(stable(&c, 1, Nash).contains(&2));
    assert!(!stable(&c, 0, Gmr).contains(&2));
}

#[test]
fn syria_iraq_narration_names_the_sanction_and_the_escape() {
    let c = syria_iraq();
    // Iraq at state 1: UI to 4, sanctioned by Syria 4 -> 5 (GMR) ...
    let n = explain::explain(&c, 1, 0, Gmr, Semantics::Textbook).unwrap();
    assert!(n.stable);
    assert_eq!(n.improvements[0].target + 1, 4);
    let p = n.improvements[0].sanction.as_ref().unwrap();
    assert_eq!((p[0].dm, p[0].state + 1), (0, 5));
    // ... but Iraq escapes 5 -> 2, so not SMR.
    let n = explain::explain(&c, 1, 0, Smr, Semantics::Textbook).unwrap();
    assert!(!n.stable);
    let (_, esc) = n.improvements[0].escaped.as_ref().unwrap();
    assert_eq!(esc + 1, 2);
    let text = n.text(&c);
    assert!(
        text.contains("Iraq's improvement from state 1 to state 4 is not sanctioned"),
        "{text}"
    );
}

/// Syria's ranking is a permutation; Iraq (fixed) ranks state 2 first, so
/// only Syria's conditions matter. Written out by hand from the definitions:
/// Syria moves from 2 to 1 or 3; Iraq answers 1 -> 4 and 3 -> 6 (both UIs for Iraq).
fn hand_count(last_ui_only: bool, smr: bool) -> u64 {
    let mut n = 0;
    let mut perm = [1usize, 2, 3, 4, 5, 6];
    permute(&mut perm, 0, &mut |p| {
        let r = |s: usize| 6 - p.iter().position(|&x| x == s).unwrap();
        let escape = |t: usize| -> bool {
            // Syria's moves from 4 (NNY): 5, 6; from 6 (NYY): 4, 5.
            let outs: &[usize] = if t == 4 { &[5, 6] } else { &[4, 5] };
            outs.iter().any(|&o| r(o) > r(2))
        };
        let mut ok = true;
        for (ui, sanc) in [(1, 4), (3, 6)] {
            if r(ui) > r(2) {
                let s = r(sanc) < r(2) && !(smr && escape(sanc));
                if last_ui_only {
                    ok = s;
                } else {
                    ok &= s;
                }
            }
        }
        n += ok as u64;
    });
    n
}

fn permute(a: &mut [usize; 6], k: usize, f: &mut impl FnMut(&[usize; 6])) {
    if k == a.len() {
        f(a);
        return;
    }
    for i in k..a.len() {
        a.swap(k, i);
        permute(a, k + 1, f);
        a.swap(k, i);
    }
}

#[test]
fn syria_iraq_inverse_counts() {
    let c = syria_iraq();
    let run = |mode| {
        let r = inverse::inverse(
            &c,
            1, // state 2
            &[Some((0, 6)), None],
            &[Nash, Seq, Gmr, Smr],
            Semantics::Textbook,
            mode,
        )
        .unwrap();
        assert_eq!(r.profiles, 720);
        r.counts.iter().map(|x| x.1).collect::<Vec<u64>>()
    };
    // GMCR+ handout / gmcr-py figures (Nash, SEQ, GMR, SMR).
    assert_eq!(run(inverse::InverseMode::GmcrPy), [240, 420, 420, 300]);
    assert_eq!(hand_count(true, false), 420);
    // The definitions applied to every improvement: SEQ = GMR = 384.
    assert_eq!(run(inverse::InverseMode::Textbook), [240, 384, 384, 300]);
    assert_eq!(hand_count(false, false), 384);
    assert_eq!(hand_count(false, true), 300);
}

#[test]
fn syria_iraq_with_misperceptions() {
    let c = Conflict::build(&syria_iraq_spec(true)).unwrap();
    for k in [Nash, Gmr, Smr, Seq] {
        assert_eq!(eq(&c, k), [1, 2, 6], "{k:?}");
    }
}

#[test]
fn us_north_korea_with_an_irreversible_strike() {
    use negotium_conflict::Reversibility::TakeOnly;
    let decimals = [0u64, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14];
    let num = |d: u64| decimals.iter().position(|&x| x == d).unwrap() + 1;
    let rank = |ds: &[u64]| ds.iter().map(|&d| vec![num(d)]).collect::<Vec<_>>();
    let mut us = dm("US", &[("strike", TakeOnly), ("withdraw", B)]);
    us.ranking = Some(rank(&[8, 0, 9, 10, 12, 5, 4, 13, 14, 1, 2, 6]));
    let mut nk = dm("NK", &[("invade", B), ("abandon", B)]);
    nk.ranking = Some(rank(&[6, 14, 2, 10, 0, 4, 12, 5, 1, 13, 8, 9]));
    let c = Conflict::build(&spec(&[us, nk], &["YY--"])).unwrap();
    assert_eq!(
        (0..c.len()).map(|s| c.code(s)).collect::<Vec<_>>(),
        decimals
    );
    let dec = |v: Vec<usize>| v.into_iter().map(|n| decimals[n - 1]).collect::<Vec<_>>();
    assert_eq!(dec(eq(&c, Nash)), [0, 5]);
    assert_eq!(dec(eq(&c, Seq)), [0, 5, 10]);
    assert_eq!(dec(eq(&c, Gmr)), [0, 4, 5, 10, 12]);
    assert_eq!(dec(eq(&c, Smr)), [0, 4, 5, 10, 12]);
}

#[test]
fn limited_move_demonstration_values() {
    // Values from the research notes' own recursion (a demonstration, §1.6).
    let lh = |c: &Conflict, h: usize| -> Vec<usize> {
        limited::limited_move(c, h).unwrap()[h - 1]
            .equilibria
            .iter()
            .map(|s| s + 1)
            .collect()
    };
    let pd = prisoners();
    assert_eq!(lh(&pd, 1), [1]);
    for h in 2..=6 {
        assert_eq!(lh(&pd, h), [1, 4], "PD h={h}");
    }
    let ch = common::chicken();
    assert_eq!(lh(&ch, 1), [2, 3]);
    assert!(lh(&ch, 2).is_empty());
    for h in 3..=8 {
        assert_eq!(lh(&ch, h), [1], "Chicken h={h}");
    }
    let si = syria_iraq();
    assert_eq!(lh(&si, 2), [6]);
    assert!(lh(&si, 3).is_empty());
    assert_eq!(lh(&si, 4), [1, 6]);
    assert_eq!(lh(&si, 6), [6]);
    assert_eq!(lh(&si, 8), [1, 6]);
}

#[test]
fn every_state_index_path_gives_the_same_answers() {
    // Dense table (default), binary search (no table), and the identity path
    // (no infeasible states: Prisoner's Dilemma) all reproduce the references.
    let spec = syria_iraq_spec(false);
    let sorted = Conflict::build_with(
        &spec,
        Limits {
            dense_index_max_options: 0,
            ..Limits::default()
        },
    )
    .unwrap();
    assert_eq!(eq(&sorted, Gmr), [1, 6]);
    assert_eq!(eq(&sorted, Nash), [6]);
    assert_eq!(sorted.index_of(0b110), Some(5));
    assert_eq!(sorted.index_of(0b011), None);
    assert_eq!(eq(&prisoners(), Seq), [1, 4]);
}
