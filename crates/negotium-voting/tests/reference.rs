//! Published reference values: the UN Security Council (research note §4.3,
//! confirmed there by brute force, powerindex and powerindices).

use negotium_voting::{power, Game, Index, Method, PowerOptions, WeightedQuota};

fn frac(report: &negotium_voting::PowerReport, idx: Index, member: usize) -> String {
    report.get(idx).unwrap().values[member]
        .exact
        .as_ref()
        .expect("exact")
        .to_string()
}

fn unsc_weighted() -> Game {
    let mut w = vec![7u64; 5];
    w.extend([1u64; 10]);
    Game::weighted(39, w).unwrap()
}

fn unsc_vetoes() -> Game {
    let mut veto = vec![true; 5];
    veto.extend([false; 10]);
    Game::new(
        vec![WeightedQuota {
            weights: vec![1; 15],
            quota: 9,
        }],
        veto,
        None,
    )
    .unwrap()
}

fn check_unsc(g: &Game, method: Method) {
    let r = power(
        g,
        &PowerOptions {
            method,
            ..Default::default()
        },
    )
    .unwrap();
    let expect = [
        (Index::ShapleyShubik, "421/2145", "4/2145"),
        (Index::Banzhaf, "106/635", "21/1270"),
        (Index::BanzhafAbsolute, "53/1024", "21/4096"),
        (Index::Holler, "1/9", "2/45"),
        (Index::DeeganPackel, "1/9", "2/45"),
        (Index::Johnston, "283/1590", "7/636"),
        (Index::ColemanPrevent, "1", "21/212"),
        (Index::ColemanInitiate, "53/1995", "1/380"),
    ];
    for (idx, perm, elected) in expect {
        for p in 0..5 {
            assert_eq!(frac(&r, idx, p), perm, "{idx:?} permanent ({method:?})");
        }
        for e in 5..15 {
            assert_eq!(frac(&r, idx, e), elected, "{idx:?} elected ({method:?})");
        }
    }
    assert_eq!(r.winning_coalitions.as_ref().unwrap().0, 848u32.into());
    assert_eq!(
        r.minimal_winning_coalitions.as_ref().unwrap().0,
        210u32.into()
    );
}

#[test]
fn security_council_as_weighted_game() {
    check_unsc(&unsc_weighted(), Method::Auto);
}

#[test]
fn security_council_with_veto_flags() {
    check_unsc(&unsc_vetoes(), Method::Auto);
}

#[test]
fn security_council_by_enumeration() {
    check_unsc(&unsc_weighted(), Method::Enumerate);
    check_unsc(&unsc_vetoes(), Method::Enumerate);
}

#[test]
fn security_council_monte_carlo_covers_exact_values() {
    let r = power(
        &unsc_weighted(),
        &PowerOptions {
            method: Method::MonteCarlo,
            samples: 40_000,
            seed: 7,
            ..Default::default()
        },
    )
    .unwrap();
    let ss = &r.get(Index::ShapleyShubik).unwrap().values;
    let [lo, hi] = ss[0].ci95.unwrap();
    assert!(lo <= 421.0 / 2145.0 && 421.0 / 2145.0 <= hi, "{lo} {hi}");
    let bz = &r.get(Index::Banzhaf).unwrap().values;
    assert!((bz[0].value - 106.0 / 635.0).abs() < 0.01);
    assert!(ss[0].exact.is_none());
}

#[test]
fn security_council_listing() {
    let l = negotium_voting::minimal_coalitions(&unsc_vetoes(), 300).unwrap();
    assert_eq!(l.minimal_winning_count, 210);
    // each permanent member alone, or any 7 of the 10 elected members
    assert_eq!(l.minimal_blocking_count, 5 + 120);
    assert!(l.minimal_blocking.contains(&vec![0]));
}

/// Issue 14: the sample count was uncapped. It is refused before any work,
/// whichever method would run, with the cap in the message.
#[test]
fn too_many_samples_are_refused_up_front() {
    for method in [Method::Auto, Method::Exact, Method::MonteCarlo] {
        let e = power(
            &unsc_weighted(),
            &PowerOptions {
                method,
                samples: u64::MAX,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            e,
            negotium_voting::VotingError::TooManySamples {
                got: u64::MAX,
                max: negotium_voting::MAX_SAMPLES
            }
        );
    }
}

/// The exact swing programme is bounded by its work, not only its table: a
/// two-quota game of 60 members whose table fits the cell limit but whose
/// per-member passes would make over 1e9 cell updates is estimated under
/// `Auto` (said in a note) and refused under `Exact`, before any work.
#[test]
fn exact_work_beyond_the_bound_is_estimated_or_refused() {
    use negotium_voting::{Game, WeightedQuota, MAX_SWING_WORK};
    let n = 60;
    let w1: Vec<u64> = (0..n).map(|i| 13 + (i % 3) as u64).collect();
    let w2: Vec<u64> = (0..n).map(|i| 15 + (i * 7 % 5) as u64).collect();
    let (t1, t2): (u64, u64) = (w1.iter().sum(), w2.iter().sum());
    let game = Game::new(
        vec![
            WeightedQuota {
                weights: w1,
                quota: t1 * 2 / 3,
            },
            WeightedQuota {
                weights: w2,
                quota: t2 / 2 + 1,
            },
        ],
        vec![false; n],
        None,
    )
    .unwrap();
    let cells = (n as u128 + 1) * (t1 as u128 + 1) * (t2 as u128 + 1);
    assert!(cells <= 60_000_000 && cells * (n as u128 + 1) * 2 > MAX_SWING_WORK);
    let e = power(
        &game,
        &PowerOptions {
            method: Method::Exact,
            indices: vec![Index::Banzhaf],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("cell updates"), "{e}");
    let r = power(
        &game,
        &PowerOptions {
            indices: vec![Index::Banzhaf],
            samples: 2_000,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        r.notes.iter().any(|n| n.contains("cell updates")),
        "{:?}",
        r.notes
    );
}
