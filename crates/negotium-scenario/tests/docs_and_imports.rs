//! The documentation's worked example is valid, and KTAB CSV files import.

use negotium_scenario::{load_str, Format};

/// The first ```toml block of docs/scenario-format.md must validate as written.
#[test]
fn worked_example_in_the_format_doc_is_valid() {
    let doc = include_str!("../../../docs/scenario-format.md");
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let l = load_str(&doc[start..end], "scenario-format.md", Format::Toml)
        .unwrap_or_else(|e| panic!("worked example invalid: {e}"));
    let s = l.scenario;
    assert_eq!(s.scenario.id, "water-sharing");
    assert_eq!(s.inputs.actors.len(), 4);
    assert_eq!(s.inputs.stances.len(), 4);
    assert_eq!(s.events.len(), 2);
    assert_eq!(s.outcome_of("release"), Some(35.0));
}

/// The dated example of docs/scenario-format.md validates and moves as the
/// text after it says.
#[test]
fn dated_example_in_the_format_doc_moves_as_documented() {
    let doc = include_str!("../../../docs/scenario-format.md");
    let sec = doc
        .find("## Dated stances and `[[capability]]`")
        .expect("the dated section");
    let start = sec + doc[sec..].find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let s = load_str(&doc[start..end], "dated.md", Format::Toml)
        .unwrap_or_else(|e| panic!("dated example invalid: {e}"))
        .scenario;
    let up = |s: &negotium_scenario::Scenario| {
        let st = s.inputs.stances.iter().find(|x| x.actor == "UP").unwrap();
        (st.position, s.inputs.actor("UP").unwrap().capability)
    };
    assert_eq!(up(&s), (20.0, 60.0));
    assert_eq!(up(&s.at("2024-06-01").unwrap()), (30.0, 60.0));
    assert_eq!(up(&s.at("2024-09-15").unwrap()), (30.0, 70.0));
    let dates: Vec<String> = s.changes().into_iter().map(|c| c.date).collect();
    assert_eq!(dates, ["2024-06-01", "2024-09-15"]);
}

#[test]
fn ktab_csv_imports_actors_dimensions_and_scaled_salience() {
    let csv = "Two dims,Example,3,2,\n\
               Actor,Description,Power,Econ,Econ sal,Social,Social sal,\n\
               A,Alpha,100,30,30,80,20,\n\
               B b,Beta,65,45,65,10,35,\n\
               C,,35,30,40,55,60,\n";
    let l = load_str(csv, "two.csv", Format::KtabCsv).unwrap();
    let s = l.scenario;
    assert_eq!(s.inputs.issues.len(), 2);
    assert_eq!(s.inputs.issues[0].name, "Econ");
    assert_eq!(s.inputs.issues[1].id, "dim2");
    assert_eq!(s.inputs.actors[1].id, "B_b");
    assert_eq!(s.inputs.actors[1].name, "Beta");
    assert_eq!(
        s.inputs.actors[2].name, "C",
        "empty description falls back to the name"
    );
    let st = s
        .inputs
        .stances
        .iter()
        .find(|x| x.actor == "B_b" && x.issue == "dim2")
        .unwrap();
    assert_eq!((st.position, st.salience), (10.0, 0.35));
}

#[test]
fn ktab_salience_sum_over_100_is_rejected_at_its_row() {
    let csv = "S,d,3,2,\nActor,Description,Power,P1,S1,P2,S2,\nA,a,1,10,60,20,50,\nB,b,1,10,10,20,10,\nC,c,1,10,10,20,10,\n";
    let e = load_str(csv, "s.csv", Format::KtabCsv).unwrap_err();
    let d = &e.diagnostics()[0];
    assert_eq!(d.line, Some(3));
    assert!(d.message.contains("sum to 110"), "{d}");
}
