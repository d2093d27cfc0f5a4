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
