//! The streaming views serialise exactly what a JSON tree built value by
//! value (as the CLI does) would hold.

mod common;
use common::*;
use negotium_conflict::views::{EquilibriaView, NumbersView, StabilityView, StatesView};
use negotium_conflict::*;
use serde_json::{json, Map, Value};

#[test]
fn views_equal_a_tree_built_by_hand() {
    for c in [syria_iraq(), prisoners(), chicken()] {
        let results = analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap();
        let numbers = |b: &BitSet| -> Vec<usize> { b.iter().map(|s| s + 1).collect() };
        let states: Vec<Value> = (0..c.len())
            .map(|s| json!({"number": s + 1, "decimal": c.code(s), "pattern": c.pattern(s)}))
            .collect();
        let mut stability = Map::new();
        let mut equilibria = Map::new();
        for r in &results {
            let per: Map<String, Value> = r
                .per_dm
                .iter()
                .enumerate()
                .map(|(i, b)| (c.dms()[i].name.clone(), json!(numbers(b))))
                .collect();
            stability.insert(r.concept.key().into(), Value::Object(per));
            equilibria.insert(r.concept.key().into(), json!(numbers(&r.equilibria)));
        }
        assert_eq!(
            serde_json::to_value(StatesView(&c)).unwrap(),
            Value::Array(states)
        );
        assert_eq!(
            serde_json::to_value(StabilityView {
                conflict: &c,
                results: &results
            })
            .unwrap(),
            Value::Object(stability)
        );
        assert_eq!(
            serde_json::to_value(EquilibriaView(&results)).unwrap(),
            Value::Object(equilibria)
        );
        // and the text is the same as the tree's (keys in the same order)
        let tree = serde_json::to_string(&json!(numbers(&results[1].equilibria))).unwrap();
        assert_eq!(
            serde_json::to_string(&NumbersView(&results[1].equilibria)).unwrap(),
            tree
        );
    }
    // Syria–Iraq's published equilibria come through (research notes §3.3).
    let c = syria_iraq();
    let r = analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap();
    let e = serde_json::to_value(EquilibriaView(&r)).unwrap();
    assert_eq!(e["gmr"], json!([1, 6]));
    assert_eq!(e["nash"], json!([6]));
}
