//! Statement syntax (Y/N/- patterns, GMCR+ codes, if/iff, Boolean formulas),
//! located parse errors, and lexicographic scoring with many statements.

mod common;
use common::*;
use negotium_conflict::formula::{parse, OptionNames};
use negotium_conflict::*;

fn names() -> (Vec<String>, Vec<usize>) {
    // Declared out of DM order: grouped order is a, b (DM 0), c (DM 1).
    (vec!["c".into(), "a".into(), "b".into()], vec![1, 2, 0])
}

fn long_names() -> Vec<String> {
    vec![
        "Call it off".into(),
        "Attack now".into(),
        "Build a wall".into(),
    ]
}

fn truth(text: &str) -> Vec<bool> {
    let (ids, grouped) = names();
    let ln = long_names();
    let f = parse(
        text,
        &OptionNames {
            ids: &ids,
            names: &ln,
            grouped: &grouped,
        },
    )
    .unwrap();
    // all 8 assignments of (a, b, c) as bits 0, 1, 2 of k
    (0..8)
        .map(|k: usize| {
            f.eval(&|opt| {
                let bit = grouped.iter().position(|&g| g == opt).unwrap();
                k >> bit & 1 == 1
            })
        })
        .collect()
}

fn table(f: impl Fn(bool, bool, bool) -> bool) -> Vec<bool> {
    (0..8)
        .map(|k: usize| f(k & 1 == 1, k & 2 == 2, k & 4 == 4))
        .collect()
}

#[test]
fn syntaxes_mean_what_they_say() {
    assert_eq!(truth("Y-N"), table(|a, _, c| a && !c));
    assert_eq!(truth("---"), table(|_, _, _| true));
    assert_eq!(truth("1, -3"), table(|a, _, c| a && !c));
    assert_eq!(truth("2 if 3"), table(|_, b, c| !c || b));
    assert_eq!(truth("-1 iff 3"), table(|a, _, c| a != c));
    assert_eq!(truth("a & !b | c"), table(|a, b, c| (a && !b) || c));
    assert_eq!(truth("a & (!b | c)"), table(|a, b, c| a && (!b || c)));
    assert_eq!(truth("b if a | c"), table(|a, b, c| !(a || c) || b));
    assert_eq!(truth("not a and b or c"), table(|a, b, c| (!a && b) || c));
    assert_eq!(truth("!(a & b)"), table(|a, b, _| !(a && b)));
    assert_eq!(
        truth("'attack NOW' & !\"Build a wall\" | c"),
        table(|a, b, c| (a && !b) || c)
    );
}

#[test]
fn parse_errors_name_the_column_and_the_expected_thing() {
    let (ids, grouped) = names();
    let ln = long_names();
    let n = OptionNames {
        ids: &ids,
        names: &ln,
        grouped: &grouped,
    };
    let e = parse("a & zz", &n).unwrap_err().to_string();
    assert_eq!(
        e,
        "cannot parse `a & zz` at column 5: unknown option `zz`; expected one of: c, a, b"
    );
    let e = parse("1, 4", &n).unwrap_err().to_string();
    assert!(
        e.contains("column 4: option number 4 out of range; expected 1..=3"),
        "{e}"
    );
    let e = parse("(a | b", &n).unwrap_err().to_string();
    assert!(e.contains("expected `)`"), "{e}");
    let e = parse("a $ b", &n).unwrap_err().to_string();
    assert!(e.contains("column 3: unexpected character `$`"), "{e}");
    assert!(parse("", &n).is_err());
    let e = parse("'Attack later'", &n).unwrap_err().to_string();
    assert!(e.contains("unknown option name 'Attack later'; expected one of: Call it off, Attack now, Build a wall"), "{e}");
    let e = parse("'Attack now", &n).unwrap_err().to_string();
    assert!(
        e.contains("column 1: unterminated quoted option name"),
        "{e}"
    );
}

#[test]
fn ranking_with_ties_and_many_statements_has_no_overflow() {
    // 100 statements (> 63, so a Σ 2^(K−k) score would overflow i64/u64):
    // the first 99 are always true, the last one decides.
    let mut a = dm("A", &[("x", B)]);
    let mut stmts: Vec<&str> = vec!["x | !x"; 99];
    stmts.push("x");
    a.statements = &stmts;
    let mut b = dm("B", &[("y", B)]);
    b.statements = &["y"];
    let c = Conflict::build(&spec(&[a, b], &[])).unwrap();
    // A prefers x taken: states 2 (YN) and 4 (YY) tie above 1 and 3.
    assert_eq!(c.ranking(0), vec![vec![2, 4], vec![1, 3]]);
    // And the 1st statement dominates the 100th.
    let mut a = dm("A", &[("x", B)]);
    let mut stmts: Vec<&str> = vec!["!x"];
    stmts.extend(vec!["x"; 99]);
    a.statements = &stmts;
    let mut b = dm("B", &[("y", B)]);
    b.statements = &["y"];
    let c = Conflict::build(&spec(&[a, b], &[])).unwrap();
    assert_eq!(c.ranking(0), vec![vec![1, 3], vec![2, 4]]);
}

#[test]
fn infeasibility_helpers_and_numbering_follow_gmcr() {
    let s = ConflictSpec::mutually_exclusive(&[0, 1, 2]);
    assert_eq!(s.len(), 3);
    let mut a = dm("A", &[("p", B), ("q", B), ("r", B)]);
    a.statements = &["p"];
    let mut b = dm("B", &[("z", B)]);
    b.statements = &["z"];
    let mut sp = spec(&[a, b], &[]);
    sp.infeasible = ConflictSpec::mutually_exclusive(&[0, 1, 2]);
    sp.infeasible.push(ConflictSpec::at_least_one(&[0, 1, 2]));
    let c = Conflict::build(&sp).unwrap();
    // exactly one of p, q, r; z free: decimals 1, 2, 4, 9, 10, 12 numbered 1..6
    assert_eq!(
        (0..c.len()).map(|s| c.code(s)).collect::<Vec<_>>(),
        [1, 2, 4, 9, 10, 12]
    );
    assert_eq!(c.pattern(3), "YNNY");
}

#[test]
fn limits_are_checked_before_work_with_the_size() {
    let opts: Vec<(String, Reversibility)> = (0..30).map(|k| (format!("o{k}"), B)).collect();
    let refs: Vec<(&str, Reversibility)> = opts.iter().map(|(s, r)| (s.as_str(), *r)).collect();
    let mut a = dm("A", &refs[..15]);
    a.statements = &["o0"];
    let mut b = dm("B", &refs[15..]);
    b.statements = &["o1"];
    let e = Conflict::build(&spec(&[a, b], &[]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("too large: the raw state space would be 1073741824"),
        "{e}"
    );
    // 20 options in 2 DMs: 2^20 states × 2 × 1023 candidate moves > limit.
    let mut a = dm("A", &refs[..10]);
    a.statements = &["o0"];
    let mut b = dm("B", &refs[10..20]);
    b.statements = &["o1"];
    let e = Conflict::build(&spec(&[a, b], &[]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("the number of candidate moves would be 2145386496"),
        "{e}"
    );
}

#[test]
fn direct_ranking_errors_are_clear() {
    let mut a = dm("A", &[("x", B)]);
    a.ranking = Some(vec![vec![1, 2], vec![3]]);
    let mut b = dm("B", &[("y", B)]);
    b.statements = &["y"];
    let e = Conflict::build(&spec(&[a, b], &[]))
        .unwrap_err()
        .to_string();
    assert_eq!(e, "invalid preference ranking for A: every feasible state must appear exactly once; missing: 4");
}

#[test]
fn coalition_status_quo_and_partition_on_prisoners_dilemma() {
    let c = prisoners();
    // From mutual defection (1) the two together reach mutual cooperation (4),
    // which both prefer: the classic coalitional improvement.
    let imp = coalition::coalition_improvements(&c, &[0, 1], 0);
    assert_eq!(imp.iter().map(|m| m.to + 1).collect::<Vec<_>>(), [4]);
    assert_eq!(imp[0].path.len(), 2);
    // Status quo 1: everything reachable; by improvements only, nothing.
    let r = status_quo::reach(&c, 0, false);
    assert!((0..4).all(|s| r.reachable(s)));
    let r = status_quo::reach(&c, 0, true);
    assert_eq!((0..4).filter(|&s| r.reachable(s)).count(), 1);
    // One bloc of both players vs ... a partition needs 2 blocs; as individuals
    // it reproduces the ordinary analysis.
    let (_, eq) = coalition::partition_stability(&c, &[vec![0], vec![1]], Concept::Nash).unwrap();
    assert_eq!(eq.to_vec(), [0]);
    let (_, eq) = coalition::partition_stability(&c, &[vec![0], vec![1]], Concept::Gmr).unwrap();
    assert_eq!(eq.to_vec(), [0, 3]);
    assert!(coalition::partition_stability(&c, &[vec![0, 1]], Concept::Nash).is_err());
}
