//! The conflict lens's text on a textbook case: the Syria–Iraq dispute over
//! the Euphrates (Hipel and Fraser's handout, gmcr-py's example), as a
//! golden snapshot, with the handout's verdicts checked in the text itself
//! (equilibria Nash {6}, GMR {1, 6}; at state 1 Iraq is GMR-stable by
//! Syria's sanction 4 → 5 but escapes it to 2, so not SMR-stable).

use std::path::PathBuf;

use negotium_analysis::conflict::{self, ConflictModel, ConflictParams};
use negotium_report::conflict::render;

fn syria_iraq() -> ConflictModel {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../negotium-conflict/fixtures/syria_iraq.gmcr");
    let text = std::fs::read_to_string(path).unwrap();
    ConflictModel::from_gmcr(&text, "syria_iraq.gmcr").unwrap()
}

fn text(p: &ConflictParams) -> String {
    render(&conflict::run_model(&syria_iraq(), p).unwrap(), p)
}

#[test]
fn syria_iraq_text_with_explanations() {
    let p = ConflictParams {
        explain: vec!["1".into()],
        status_quo: Some("1".into()),
        ..Default::default()
    };
    let t = text(&p);
    // The handout's equilibria, with counts.
    assert!(t.contains("  Nash     1: 6\n"), "{t}");
    assert!(t.contains("  GMR      2: 1, 6\n"), "{t}");
    // Concept order: GMR ∩ Nash = {6}; every theoretical inclusion holds.
    assert!(t.contains("Holds: Nash ⊆ SMR, SMR ⊆ GMR"), "{t}");
    assert!(!t.contains("Not here"), "{t}");
    // State 1 in words, and Iraq's verdicts in option names.
    let why = &t[t.find("Why state 1").unwrap()..];
    assert!(why.starts_with("Why state 1 (NNN) is or is not stable: no option taken."));
    let iraq = &why[why.find("  Iraq:").unwrap()..];
    let line = |label: &str| {
        iraq.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap()
            .to_string()
    };
    assert!(line("GMR ").contains("stable: its one improvement is sanctioned"));
    assert!(line("GMR ").contains("→ 4 (Attack)"), "{}", line("GMR "));
    assert!(line("GMR ").contains("Syria: Release water → 5"));
    assert!(line("SMR ").contains("unstable"));
    assert!(
        line("SMR ").contains("escaped by Iraq → 2"),
        "{}",
        line("SMR ")
    );
    assert!(line("Nash ").contains("unstable"));
    insta::assert_snapshot!(t);
}

#[test]
fn states_flag_caps_the_lists_and_keeps_the_counts() {
    let p = ConflictParams {
        all_states: true,
        states: Some("2".into()),
        ..Default::default()
    };
    let t = text(&p);
    assert!(t.contains("(first 2 of 6 states shown"), "{t}");
    assert!(t.contains("  GMR      2: 1, 6\n"), "{t}");
    let p = ConflictParams {
        states: Some("1".into()),
        ..Default::default()
    };
    assert!(text(&p).contains("  GMR      2: 1, … (2 in all)\n"));
    let bad = ConflictParams {
        states: Some("many".into()),
        ..Default::default()
    };
    let e = conflict::run_model(&syria_iraq(), &bad).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string().contains("`many` is not `all` or a number"),
        "{e}"
    );
}
