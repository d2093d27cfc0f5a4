//! Snapshots of the `analyze` text: the verdict first, compact sections
//! with footnoted terms, and with `detail` every lens's full tables.

use negotium_analysis::analyze::{self, AnalyzeParams};

fn text(id: &str, detail: bool) -> String {
    let l = negotium_scenario::resolve(id).unwrap();
    let p = AnalyzeParams {
        seed: 0,
        detail,
        ..AnalyzeParams::default()
    };
    negotium_report::analyze::render(&analyze::run(&l, &p).unwrap(), &p)
}

#[test]
fn kosovo_short() {
    let t = text("kosovo-status", false);
    // Every footnote marked in the text is defined exactly once, below its
    // section, and the numbers run 1, 2, … without a gap.
    let sup = |c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c);
    let mut defined: Vec<usize> = Vec::new();
    for l in t.lines() {
        let l = l.trim_start();
        let digits: String = l.chars().take_while(|&c| sup(c)).collect();
        if digits.is_empty() || !l[digits.len()..].contains(':') {
            continue;
        }
        let n: usize = digits
            .chars()
            .map(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|d| d == c).unwrap())
            .fold(0, |a, d| a * 10 + d);
        defined.push(n);
    }
    assert!(defined.len() >= 10, "{defined:?}");
    assert_eq!(defined, (1..=defined.len()).collect::<Vec<_>>());
    // Every glossary term the text names is defined in it.
    for term in negotium_report::glossary::used_in(&t) {
        assert!(
            t.contains(&format!("{}: {}", term.term, &term.definition[..20])),
            "`{}` is used but not defined",
            term.term
        );
    }
    // Default text stays short: the verdict plus compact sections.
    assert!(t.lines().count() < 400, "{} lines", t.lines().count());
    insta::assert_snapshot!(t);
}

#[test]
fn kosovo_detail() {
    let short = text("kosovo-status", false);
    let t = text("kosovo-status", true);
    assert!(t.contains("Trajectories") && t.contains("Option form"));
    assert!(t.contains("What followed (70 events, read by no model):"));
    // The verdict is the same with or without detail.
    let v = |s: &str| s[..s.find("(A compact").or(s.find("(Every lens")).unwrap()].to_string();
    assert_eq!(v(&short), v(&t));
    insta::assert_snapshot!(t);
}

#[test]
fn emission_standards_short() {
    insta::assert_snapshot!(text("emission-standards", false));
}
