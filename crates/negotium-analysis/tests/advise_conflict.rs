//! The GMCR part of `advise` against a case worked by hand: the prisoner's
//! dilemma in option form (one option, `defect`, per DM; states numbered
//! 1 = NN, 2 = A defects, 3 = B defects, 4 = both), rankings
//! A: 2 > 1 > 4 > 3 and B: 3 > 1 > 4 > 2, status quo NN.
//!
//! Worked by hand under SEQ (sequential stability):
//! - As given: state 1 is stable for both (a defection is sanctioned by the
//!   other's credible counter-defection, which leaves the mover at its
//!   3rd-ranked state, worse than its 2nd-ranked start); state 4 is Nash,
//!   so SEQ-stable; states 2 and 3 are not (the sucker improves to 4, and
//!   the only reply, dropping back, is no improvement for the defector).
//!   Everything is reachable, so the equilibria reachable from NN are
//!   {1, 4}; A's best is 1, its rank 2.
//! - A commits never to defect (drop-only): at 1, B's defection to 3 can no
//!   longer be sanctioned, so 1 is unstable; 3 is stable (B's best, A cannot
//!   move); 4 stays stable but A can no longer reach it. Reachable
//!   equilibria {3}: gained 3, lost 1 and 4; A's best becomes rank 4, worse.
//! - A makes defecting irreversible (take-only): 1 and 4 remain the
//!   reachable equilibria (the sanctions above use only moves still legal):
//!   no change.
//! - With two DMs a coalition would be the whole conflict: none is assessed.

use negotium_analysis::advise::{self, AdviseParams};
use negotium_analysis::advise_conflict::Effect;

const PD: &str = r#"
[scenario]
id = "pd"
title = "Prisoner's dilemma"

[[actor]]
id = "A"
name = "Alpha"
capability = 1.0

[[actor]]
id = "B"
name = "Beta"
capability = 1.0

[[issue]]
id = "x"
name = "X"
min = 0.0
max = 100.0

[[stance]]
actor = "A"
issue = "x"
position = 0
salience = 1.0

[[stance]]
actor = "B"
issue = "x"
position = 100
salience = 1.0

[conflict]
status_quo = "!a_defect & !b_defect"

[[conflict.dm]]
id = "A"
actor = "A"
ranking = [2, 1, 4, 3]

[[conflict.dm]]
id = "B"
actor = "B"
ranking = [3, 1, 4, 2]

[[conflict.option]]
id = "a_defect"
dm = "A"
name = "defect"

[[conflict.option]]
id = "b_defect"
dm = "B"
name = "defect"
"#;

fn states(v: &[negotium_analysis::advise_conflict::RankedState]) -> Vec<usize> {
    let mut s: Vec<usize> = v.iter().map(|x| x.state).collect();
    s.sort_unstable();
    s
}

#[test]
fn prisoners_dilemma_commitments_match_the_hand_analysis() {
    let loaded = negotium_scenario::load_str(PD, "pd.toml", negotium_scenario::Format::Toml)
        .expect("the scenario loads");
    let r = advise::run(&loaded, &AdviseParams::new("A")).expect("advise runs");
    let c = r.conflict.expect("A is a decision maker with a status quo");
    assert_eq!(c.concept, "seq");
    assert_eq!(c.status_quo, 1);
    assert_eq!(states(&c.reachable), vec![1, 4]);
    assert_eq!(c.reachable[0].state, 1, "A's best reachable equilibrium");
    assert_eq!(c.reachable[0].rank, 2);

    let never = c
        .options
        .iter()
        .find(|o| o.commitment == "never-take")
        .expect("a never-take commitment on `a_defect`");
    assert_eq!(never.option, "a_defect");
    assert_eq!(states(&never.consequence.reachable), vec![3]);
    assert_eq!(never.consequence.gained, vec![3]);
    assert_eq!(never.consequence.lost, vec![1, 4]);
    assert_eq!(never.consequence.effect, Effect::Worse);

    let irreversible = c
        .options
        .iter()
        .find(|o| o.commitment == "irreversible-take")
        .expect("an irreversible-take commitment");
    assert_eq!(states(&irreversible.consequence.reachable), vec![1, 4]);
    assert_eq!(irreversible.consequence.effect, Effect::None);
    assert_eq!(
        c.options.len(),
        2,
        "no never-drop: nothing is taken at the status quo"
    );

    assert!(c.coalitions.is_empty());
    assert!(c.notes.iter().any(|n| n.contains("two decision makers")));
    assert!(
        never.consequence.sentence.contains("hurts Alpha")
            || never.consequence.sentence.contains("hurts A"),
        "{}",
        never.consequence.sentence
    );
}

#[test]
fn an_actor_that_is_no_decision_maker_gets_a_note_not_an_error() {
    let src = PD.replace("actor = \"B\"\nranking", "ranking");
    let src = src.replace("[[actor]]\nid = \"B\"", "[[actor]]\nid = \"C\"\nname = \"Gamma\"\ncapability = 1.0\n\n[[stance]]\nactor = \"C\"\nissue = \"x\"\nposition = 50\nsalience = 1.0\n\n[[actor]]\nid = \"B\"");
    let loaded = negotium_scenario::load_str(&src, "pd.toml", negotium_scenario::Format::Toml)
        .expect("the scenario loads");
    let r = advise::run(&loaded, &AdviseParams::new("C")).expect("advise runs");
    assert!(r.conflict.is_none());
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("`C` is no decision maker")),
        "{:?}",
        r.notes
    );
}

#[test]
fn kosovo_belgrade_gets_commitment_and_coalition_advice() {
    let loaded = negotium_scenario::resolve("kosovo-status").expect("built-in");
    let p = AdviseParams {
        model: vec!["median".into()],
        issue: vec!["status".into()],
        ..AdviseParams::new("SRB")
    };
    let r = advise::run(&loaded, &p).expect("advise runs");
    let c = r.conflict.expect("Serbia is a DM");
    // Every option of Serbia is untaken at the 2006 status quo and
    // reversible: two commitments each.
    assert_eq!(c.options.len(), 6);
    assert_eq!(c.coalitions.len(), 4);
    // The historical end state (declaration, recognitions, EULEX, veto) is
    // among the reachable equilibria as the model stands.
    assert!(c
        .reachable
        .iter()
        .any(|x| x.words.contains("declares independence")));
    assert!(c.advice.len() >= 2);
}

#[test]
fn an_unknown_concept_is_refused_naming_the_parameter() {
    let loaded = negotium_scenario::load_str(PD, "pd.toml", negotium_scenario::Format::Toml)
        .expect("the scenario loads");
    let p = AdviseParams {
        concept: "stable".into(),
        ..AdviseParams::new("A")
    };
    let e = advise::run(&loaded, &p).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("concept") && text.contains("`stable`"),
        "{text}"
    );
    assert!(
        text.contains("nash, gmr, smr, seq, sim or seq_sim"),
        "{text}"
    );
}
