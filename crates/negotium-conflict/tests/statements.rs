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

/// Issue 14: 20,000 nested parentheses or 100,000 `!` overflowed the stack.
/// Parsing runs here on a 1 MiB thread (an eighth of a main thread): negations
/// cost no stack however many, and nesting beyond the bound is a located error.
/// 64 levels fit in it even in an unoptimised build; an unbounded descent into
/// 20,000 levels (six parser frames each) would need far more.
#[test]
fn deep_input_is_parsed_or_refused_without_deep_recursion() {
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let (ids, grouped) = names();
            let ln = long_names();
            let n = OptionNames {
                ids: &ids,
                names: &ln,
                grouped: &grouped,
            };
            // An even number of negations is the atom itself, an odd one its negation.
            let bangs = "!".repeat(100_000);
            assert_eq!(
                parse(&format!("{bangs}a"), &n).unwrap(),
                parse("a", &n).unwrap()
            );
            assert_eq!(
                parse(&format!("!{bangs}(a & b)"), &n).unwrap(),
                parse("!(a & b)", &n).unwrap()
            );
            assert_eq!(
                parse(&format!("{bangs}(a & b)"), &n).unwrap(),
                parse("a & b", &n).unwrap()
            );
            // At the bound: accepted and equal to the flat formula.
            let ok = format!(
                "{}a{}",
                "(".repeat(formula::MAX_NESTING),
                ")".repeat(formula::MAX_NESTING)
            );
            assert_eq!(parse(&ok, &n).unwrap(), parse("a", &n).unwrap());
            // One deeper, or 20,000 deep: refused at the first parenthesis too many.
            for depth in [formula::MAX_NESTING + 1, 20_000] {
                let text = format!("{}a{}", "(".repeat(depth), ")".repeat(depth));
                let e = parse(&text, &n).unwrap_err();
                let ConflictError::Parse {
                    column,
                    message,
                    text: quoted,
                } = &e
                else {
                    panic!("{e}")
                };
                assert_eq!(*column, formula::MAX_NESTING + 1, "{e}");
                assert_eq!(
                    message,
                    "parentheses nested more than 64 deep; expected a flatter formula"
                );
                // A long statement is quoted as an excerpt, not whole.
                assert!(quoted.chars().count() <= 122, "{}", quoted.len());
            }
            // Nesting through negations counts the same parentheses.
            let text = format!("{}a{}", "!(".repeat(20_000), ")".repeat(20_000));
            assert!(parse(&text, &n)
                .unwrap_err()
                .to_string()
                .contains("nested more than 64"));
        })
        .unwrap()
        .join()
        .unwrap();
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
    // 20 options in 2 DMs (2^20 states, 1,023 moves per DM and state) builds
    // and analyses: moves are generated, not stored.
    let mut a = dm("A", &refs[..10]);
    a.statements = &["o0"];
    let mut b = dm("B", &refs[10..20]);
    b.statements = &["o1"];
    let c = Conflict::build(&spec(&[a, b], &[])).unwrap();
    assert_eq!(c.len(), 1 << 20);
    // Memory: 2^24 states of 2 DMs with statements need 36 bytes a state to
    // build (codes 8, payoffs 2 × 4, sort keys 8, permutation 8, ranks 4);
    // refused up front under a 64 MiB limit, with both sizes.
    let mut a = dm("A", &refs[..12]);
    a.statements = &["o0"];
    let mut b = dm("B", &refs[12..24]);
    b.statements = &["o1"];
    let small = Limits {
        max_bytes: 64 << 20,
        ..Limits::default()
    };
    let e = Conflict::build_with(&spec(&[a, b], &[]), small)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "too large: building the conflict (24 options, 2 DMs) for 16777216 states would need about 576.0 MiB (603979776 bytes) of memory, above the limit of 64.0 MiB (67108864 bytes); add infeasibility patterns, use fewer options, or raise the memory limit"
    );
    // The analysis checks its own estimate before it starts.
    let mut a = dm("A", &refs[..6]);
    a.statements = &["o0"];
    let mut b = dm("B", &refs[6..12]);
    b.statements = &["o1"];
    let tight = Limits {
        max_bytes: 200_000,
        ..Limits::default()
    };
    let c = Conflict::build_with(&spec(&[a, b], &[]), tight).unwrap();
    let e = analyze(&c, &Concept::ALL, Semantics::Textbook)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("too large: stability analysis for 4096 states would need about"),
        "{e}"
    );
    assert!(
        e.contains("above the limit of 195.3 KiB (200000 bytes)"),
        "{e}"
    );
    assert!(analyze(&c, &[Concept::Nash], Semantics::Textbook).is_ok());
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
