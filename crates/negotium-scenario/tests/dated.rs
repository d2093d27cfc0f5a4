//! Dated stances and capabilities: the inputs in force at a date, the
//! default date (`as_of`), the list of changes, refused dates, and the
//! Kosovo scenario's documented moves.

use negotium_scenario::{load_str, ChangeKind, DateError, Format, Scenario};

const DATED: &str = r#"
[scenario]
id = "d"
title = "Dated"
as_of = "2007-03-26"

[[actor]]
id = "A"
name = "Alpha"
capability = 10.0

[[actor]]
id = "B"
name = "Beta"
capability = 5.0

[[issue]]
id = "x"
name = "X"
min = 0.0
max = 100.0

[[stance]]
actor = "A"
issue = "x"
position = 20.0
salience = 1.0

[[stance]]
actor = "B"
issue = "x"
position = 80.0
salience = 0.5

[[stance]]
actor = "A"
issue = "x"
position = 35.0
salience = 1.0
from = "2007-11-05"
event = "offer"

[[stance]]
actor = "A"
issue = "x"
position = 10.0
salience = 0.9
from = "2007-01-10"

[[capability]]
actor = "B"
from = "2008-01-25"
capability = 8.0
event = "deal"

[[event]]
id = "offer"
date = "2007-11-05"
kind = "proposal"
title = "A offers 35"

[[event]]
id = "deal"
date = "2008-01-25"
kind = "agreement"
title = "B's deal"

[[event]]
date = "2006"
kind = "other"
title = "Start of the record"
"#;

fn load(src: &str) -> Scenario {
    load_str(src, "d.toml", Format::Toml).unwrap().scenario
}

fn pos(s: &Scenario, actor: &str) -> f64 {
    s.inputs
        .stances
        .iter()
        .find(|x| x.actor == actor && x.issue == "x")
        .unwrap()
        .position
}

fn cap(s: &Scenario, actor: &str) -> f64 {
    s.inputs.actor(actor).unwrap().capability
}

#[test]
fn inputs_are_those_in_force_at_as_of_by_default() {
    let s = load(DATED);
    // The stance from 2007-01-10 precedes as_of: it holds; the later one not.
    assert_eq!(s.inputs.stances.len(), 2);
    assert_eq!(pos(&s, "A"), 10.0);
    assert_eq!(cap(&s, "B"), 5.0);
    // Every stance as written is kept in the timeline.
    assert_eq!(s.timeline.stances.len(), 4);
    assert_eq!(s.timeline.capabilities.len(), 1);
}

#[test]
fn the_scenario_at_a_date_takes_the_latest_change_on_or_before_it() {
    let s = load(DATED);
    let cases = [
        ("2006-06-01", 20.0, 5.0),
        ("2007-01-10", 10.0, 5.0),
        ("2007-11-04", 10.0, 5.0),
        ("2007-11-05", 35.0, 5.0),
        ("2008-01-24", 35.0, 5.0),
        ("2008-01-25", 35.0, 8.0),
    ];
    for (d, a, b) in cases {
        let at = s.at(d).unwrap();
        assert_eq!(pos(&at, "A"), a, "{d}");
        assert_eq!(cap(&at, "B"), b, "{d}");
        assert_eq!(pos(&at, "B"), 80.0, "{d}");
        assert_eq!(at.scenario.as_of.as_deref(), Some(d));
    }
    // At its own as_of the scenario is what loading gave.
    assert_eq!(s.at("2007-03-26").unwrap().inputs, s.inputs);
}

#[test]
fn malformed_dates_and_dates_before_the_data_are_refused() {
    let s = load(DATED);
    assert_eq!(
        s.at("2007-11").unwrap_err(),
        DateError::Malformed("2007-11".into())
    );
    assert!(matches!(s.at("2007-02-30"), Err(DateError::Malformed(_))));
    let e = s.at("2005-12-31").unwrap_err();
    assert!(matches!(e, DateError::BeforeData { .. }));
    assert!(
        e.to_string()
            .contains("before the scenario's earliest data (2006: event[2] `Start of the record`)"),
        "{e}"
    );
    assert!(s.at("2006-01-01").is_ok());
}

#[test]
fn changes_list_what_each_dated_entry_replaced() {
    let s = load(DATED);
    let c = s.changes();
    let dates: Vec<&str> = c.iter().map(|x| x.date.as_str()).collect();
    assert_eq!(dates, ["2007-01-10", "2007-11-05", "2008-01-25"]);
    assert_eq!(c[0].position.unwrap().before, Some(20.0));
    assert_eq!(c[0].salience.unwrap().after, 0.9);
    assert_eq!(
        c[1].position.unwrap().before,
        Some(10.0),
        "the 2007-01-10 one"
    );
    assert_eq!(c[1].event.as_deref(), Some("offer"));
    assert_eq!(c[1].event_title.as_deref(), Some("A offers 35"));
    assert_eq!(c[2].kind, ChangeKind::Capability);
    assert_eq!(c[2].capability.unwrap().before, Some(5.0));
    assert_eq!(c[2].capability.unwrap().after, 8.0);
}

#[test]
fn dated_scenarios_round_trip_through_toml_and_json() {
    let s = load(DATED);
    let t = toml::to_string(&s).unwrap();
    assert!(t.contains("[[capability]]") && t.contains("from = \"2007-11-05\""));
    assert_eq!(load(&t), s);
    let j = serde_json::to_string(&s).unwrap();
    assert_eq!(load_str(&j, "d.json", Format::Json).unwrap().scenario, s);
}

#[test]
fn kosovo_moves_as_documented() {
    let k = negotium_scenario::resolve("kosovo-status")
        .unwrap()
        .scenario;
    let status = |s: &Scenario, a: &str| {
        let st = s
            .inputs
            .stances
            .iter()
            .find(|x| x.actor == a && x.issue == "status")
            .unwrap();
        (st.position, st.salience)
    };
    // At as_of: the undated stances.
    assert_eq!(status(&k, "SRB"), (20.0, 1.0));
    assert_eq!(status(&k, "EU"), (70.0, 0.7));
    assert_eq!(status(&k, "RUS"), (30.0, 0.6));
    assert_eq!(k.inputs.stances.len(), 62);
    let nov = k.at("2007-11-05").unwrap();
    assert_eq!(status(&nov, "SRB"), (35.0, 1.0), "Hong Kong offer");
    assert_eq!(status(&nov, "RUS"), (30.0, 0.8), "July 2007 hardening");
    assert_eq!(status(&nov, "EU"), (70.0, 0.7));
    let feb = k.at("2008-02-18").unwrap();
    assert_eq!(status(&feb, "SRB"), (20.0, 1.0), "annulment");
    assert_eq!(status(&feb, "EU"), (50.0, 0.8), "recognition split");
    assert_eq!(status(&feb, "RUS"), (30.0, 0.9));
    assert_eq!(feb.inputs.actor("RUS").unwrap().capability, 45.0);
    assert_eq!(feb.inputs.actor("UNOSEK").unwrap().capability, 9.0);
    assert_eq!(k.inputs.actor("UNOSEK").unwrap().capability, 22.0);
    let c = k.changes();
    assert_eq!(
        c.iter().filter(|x| x.kind == ChangeKind::Stance).count(),
        18
    );
    assert_eq!(
        c.iter()
            .filter(|x| x.kind == ChangeKind::Capability)
            .count(),
        7
    );
    assert!(
        c.iter().all(|x| x.event_title.is_some()),
        "every move names its event"
    );
    assert_eq!(k.events.iter().filter(|e| e.id.is_some()).count(), 28);
}
