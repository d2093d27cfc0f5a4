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
//!
//! A second case, three DMs, checks the coalitions under SEQ and SIM (see
//! `PUNISHER`).

use negotium_analysis::advise::{self, AdviseParams};
use negotium_analysis::advise_conflict::{self, Effect};

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

/// The prisoners A and B watched by C, who can punish (`c_punish`); state
/// numbers (a + 2b + 4c + 1) with payoffs (A, B, C):
///
/// ```text
///  1 ---  (2, 2, 0)   5 --c  (0, 0, 1)   C likes punishing cooperators only
///  2 a--  (3, 0, 0)   6 a-c  (3, 0, 0)
///  3 -b-  (0, 3, 0)   7 -bc  (0, 3, 0)
///  4 ab-  (1, 1, 0)   8 abc  (1, 1, 0)
/// ```
///
/// as rankings (tie groups), status quo 1. Everything is reversible, so
/// every state is reachable from 1. Worked by hand for A:
///
/// * Alone (each DM its own bloc), SEQ and SIM agree: equilibria {1, 4, 8}.
///   At 1, A's defection (1 → 2) is met by B's defection (→ 4, A 1 ≤ 2), in
///   sequence or simultaneously; C's punishment 1 → 5 by A's defection
///   (→ 6, C 0 ≤ 0). At 3, 5, 7 A improves unsanctioned (B and C have no
///   improvement that hurts A), at 2, 6 likewise B. A's best: 1, rank 2.
/// * With B (bloc {A, B}: improvements 4 → 1 and 5 → 8 only, since from 1,
///   2, 3, 6, 7 one prisoner gains only if the other loses; C's only
///   improvement 1 → 5). Under SEQ the bloc's 4 → 1 is deterred by C's
///   punishment 1 → 5, 5 → 8 is not (C cannot move on from 8), and C's 1 → 5
///   is answered by the bloc's 5 → 8: equilibria all but 5, so
///   {1, 2, 3, 4, 6, 7, 8}: gained 2, 3, 6, 7 (A's defection is no longer a
///   move of the bloc), lost none, best 2 (rank 1): better. Under SIM a
///   sanction must be an improvement *from the start*: C has none from 4 or
///   5, the bloc none from 1, so 1, 4 and 5 are unstable: {2, 3, 6, 7, 8},
///   gained 2, 3, 6, 7, lost 1 and 4; still better. The coalition differs
///   between the concepts only in 1 and 4.
/// * With C (bloc {A, C}): C gains only at 5, where A has 0, its least, so
///   the bloc never improves; B alone improves at 1, 2, 5, 6 and nobody can
///   sanction it: {3, 4, 7, 8} under SEQ and SIM alike, gained 3 and 7,
///   lost 1, best 4 (rank 3): worse.
const PUNISHER: &str = r#"
[scenario]
id = "pd3"
title = "Prisoners and a punisher"

[[actor]]
id = "A"
name = "Alpha"
capability = 1.0

[[actor]]
id = "B"
name = "Beta"
capability = 1.0

[[actor]]
id = "C"
name = "Gamma"
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

[[stance]]
actor = "C"
issue = "x"
position = 50
salience = 1.0

[conflict]
status_quo = "!a_defect & !b_defect & !c_punish"

[[conflict.dm]]
id = "A"
actor = "A"
name = "Alpha"
ranking = [[2, 6], 1, [4, 8], [3, 5, 7]]

[[conflict.dm]]
id = "B"
actor = "B"
name = "Beta"
ranking = [[3, 7], 1, [4, 8], [2, 5, 6]]

[[conflict.dm]]
id = "C"
actor = "C"
name = "Gamma"
ranking = [5, [1, 2, 3, 4, 6, 7, 8]]

[[conflict.option]]
id = "a_defect"
dm = "A"
name = "defect"

[[conflict.option]]
id = "b_defect"
dm = "B"
name = "defect"

[[conflict.option]]
id = "c_punish"
dm = "C"
name = "punish"
"#;

#[test]
fn three_dms_coalitions_under_seq_and_sim_match_the_hand_analysis() {
    let loaded = negotium_scenario::load_str(PUNISHER, "pd3.toml", negotium_scenario::Format::Toml)
        .expect("the scenario loads");
    for (concept, with_b, lost_b) in [
        ("seq", vec![1, 2, 3, 4, 6, 7, 8], vec![]),
        ("sim", vec![2, 3, 6, 7, 8], vec![1, 4]),
    ] {
        let p = AdviseParams {
            concept: concept.into(),
            ..AdviseParams::new("A")
        };
        let r = advise::run(&loaded, &p).expect("advise runs");
        let c = r.conflict.expect("A is a decision maker");
        assert_eq!(c.concept, concept);
        assert_eq!(states(&c.reachable), vec![1, 4, 8], "{concept}: alone");
        assert_eq!((c.reachable[0].state, c.reachable[0].rank), (1, 2));
        // with three DMs: the pairs only, by DM order
        let with: Vec<&str> = c.coalitions.iter().map(|k| k.with.as_str()).collect();
        assert_eq!(with, vec!["B", "C"], "{concept}");
        let b = &c.coalitions[0];
        assert_eq!(b.members.len(), 1);
        assert_eq!(
            (b.members[0].id.as_str(), b.members[0].name.as_str()),
            ("B", "Beta")
        );
        assert_eq!(
            states(&b.consequence.reachable),
            with_b,
            "{concept}: with B"
        );
        assert_eq!(b.consequence.gained, vec![2, 3, 6, 7], "{concept}");
        assert_eq!(b.consequence.lost, lost_b, "{concept}");
        assert_eq!(b.consequence.effect, Effect::Better, "{concept}");
        assert_eq!(b.consequence.reachable[0].rank, 1);
        assert!(
            b.consequence.sentence.contains("coalition with Beta"),
            "{}",
            b.consequence.sentence
        );
        let k = &c.coalitions[1];
        assert_eq!(
            states(&k.consequence.reachable),
            vec![3, 4, 7, 8],
            "{concept}: with C"
        );
        assert_eq!(k.consequence.gained, vec![3, 7]);
        assert_eq!(k.consequence.lost, vec![1]);
        assert_eq!(k.consequence.effect, Effect::Worse);
        assert!(
            c.notes.iter().any(|n| n.contains("(2 in all)")),
            "{:?}",
            c.notes
        );
        assert!(
            c.advice.iter().any(|a| a == &b.consequence.sentence),
            "the helpful coalition is in the advice: {:?}",
            c.advice
        );
    }
}

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
    // Five DMs: every coalition with Serbia of 2 to 4 members, 2^4 − 2 = 14,
    // pairs first; each names its partners.
    assert_eq!(c.coalitions.len(), 14, "{:?}", c.notes);
    let sizes: Vec<usize> = c.coalitions.iter().map(|k| k.members.len()).collect();
    assert_eq!(sizes, [vec![1; 4], vec![2; 6], vec![3; 4]].concat());
    for k in &c.coalitions {
        let ids: Vec<&str> = k.members.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(k.with, ids.join("+"));
        assert!(!ids.contains(&"SRB") && !ids.contains(&c.dm.as_str()));
    }
    // The historical end state (declaration, recognitions, EULEX, veto) is
    // among the reachable equilibria as the model stands.
    assert!(c
        .reachable
        .iter()
        .any(|x| x.words.contains("declares independence")));
    assert!(c.advice.len() >= 2);
    // The headline coalition: the best rank any helpful coalition reaches,
    // with the fewest partners (then the first listed), found here from the
    // coalition list itself.
    let mut best: Option<(usize, usize, &str)> = None;
    for k in &c.coalitions {
        if k.consequence.effect != Effect::Better {
            continue;
        }
        let key = (
            k.consequence.reachable[0].rank,
            k.members.len(),
            k.name.as_str(),
        );
        if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
            best = Some(key);
        }
    }
    let (rank, _, _) = best.expect("some coalition helps Belgrade");
    let head = c
        .advice
        .iter()
        .find(|a| a.starts_with("Of the coalitions assessed"))
        .expect("a headline sentence");
    // Kosovo and the EU together give Belgrade its first choice (state 61).
    assert_eq!(rank, 1);
    assert!(
        head.contains("with Kosovo and European Union: state 61") && head.contains("1st-ranked"),
        "{head}"
    );
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

/// Eight DMs, one option each (256 states), each wanting its own option
/// taken and the next DM's not. DM `D0` has 2⁷ − 2 = 126 coalitions (pairs
/// up to all but one); only the first 64 are assessed: the 7 pairs, the 21
/// triples and the 35 coalitions of four, then the first of five, with
/// `D1`–`D4`, in the DMs' order. A note says how many were left out.
#[test]
fn eight_dms_assess_the_first_64_coalitions_by_size_then_order() {
    let mut toml = String::from(
        "[scenario]\nid = \"ring\"\ntitle = \"Ring of eight\"\n\n[[issue]]\nid = \"x\"\nname = \"X\"\nmin = 0.0\nmax = 100.0\n\n",
    );
    for k in 0..8 {
        toml += &format!(
            "[[actor]]\nid = \"D{k}\"\nname = \"Dm {k}\"\ncapability = 1.0\n\n[[stance]]\nactor = \"D{k}\"\nissue = \"x\"\nposition = {}\nsalience = 1.0\n\n",
            k * 10
        );
    }
    let sq: Vec<String> = (0..8).map(|k| format!("!o{k}")).collect();
    toml += &format!("[conflict]\nstatus_quo = \"{}\"\n\n", sq.join(" & "));
    for k in 0..8 {
        toml += &format!(
            "[[conflict.dm]]\nid = \"D{k}\"\nactor = \"D{k}\"\npreferences = [\"o{k}\", \"!o{}\"]\n\n[[conflict.option]]\nid = \"o{k}\"\ndm = \"D{k}\"\nname = \"act {k}\"\n\n",
            (k + 1) % 8
        );
    }
    let loaded = negotium_scenario::load_str(&toml, "ring.toml", negotium_scenario::Format::Toml)
        .expect("the scenario loads");
    let r = advise::run(&loaded, &AdviseParams::new("D0")).expect("advise runs");
    let c = r.conflict.expect("D0 is a decision maker");
    assert_eq!(c.coalitions.len(), advise_conflict::MAX_COALITIONS);
    let sizes: Vec<usize> = c.coalitions.iter().map(|k| k.members.len()).collect();
    assert_eq!(&sizes[..7], &[1; 7]);
    assert_eq!(&sizes[7..28], &[2; 21]);
    assert_eq!(&sizes[28..63], &[3; 35]);
    assert_eq!(sizes[63], 4);
    let ids = |i: usize| -> Vec<&str> {
        c.coalitions[i]
            .members
            .iter()
            .map(|m| m.id.as_str())
            .collect()
    };
    assert_eq!(ids(0), vec!["D1"]);
    assert_eq!(ids(6), vec!["D7"]);
    assert_eq!(ids(7), vec!["D1", "D2"]);
    assert_eq!(ids(63), vec!["D1", "D2", "D3", "D4"]);
    assert!(
        c.notes.iter().any(|n| n.contains("(126 in all)")),
        "{:?}",
        c.notes
    );
    assert!(
        c.notes
            .iter()
            .any(|n| n.contains("Only the first 64 of the 126 coalitions containing")),
        "{:?}",
        c.notes
    );
}
