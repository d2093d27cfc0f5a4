//! Property: no stored lens JSON, however malformed, makes the workbench's
//! renderer (`html::lens_section`) panic or emit unescaped markup.

use negotium_report::html;
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Keys the renderers look for, mixed with noise, so that generated values
/// reach deep into the lenient readers.
const KEYS: &[&str] = &[
    "issues",
    "models",
    "rounds",
    "positions",
    "model",
    "forecast",
    "min",
    "max",
    "outcome",
    "initial",
    "median",
    "dms",
    "options",
    "states",
    "number",
    "pattern",
    "equilibria",
    "nash",
    "stability",
    "status_quo",
    "edges",
    "from",
    "to",
    "dm",
    "institutions",
    "indices",
    "members",
    "institution",
    "runs",
    "protocol",
    "agreement",
    "utilities",
    "parties",
    "frontier",
    "reservation",
    "trace",
    "step",
    "events",
    "date",
    "title",
    "kind",
    "<script>",
    "x",
];

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1e6f64..1e6).prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        prop_oneof![Just("<b>&\"'"), Just("YN"), Just("2008-02-17"), Just("")]
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

fn mini() -> negotium_scenario::Scenario {
    let src = std::fs::read_to_string(format!(
        "{}/tests/fixtures/mini.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    negotium_scenario::load_str(&src, "mini.toml", negotium_scenario::Format::Toml)
        .unwrap()
        .scenario
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn history_body_of_any_json_renders(v in json()) {
        let s = html::history_body(&v);
        prop_assert!(!s.contains("<script") && !s.contains("<b>"));
    }

    #[test]
    fn any_lens_json_renders(v in json()) {
        let sc = mini();
        for lens in ["forecast", "conflict", "power", "negotiate", "pareto", "history", "vote", "tournament", "analyze", "sweep"] {
            let s = html::lens_section(lens, &v, Some(&sc));
            prop_assert!(!s.contains("<script") && !s.contains("<b>"));
            prop_assert_eq!(s.matches("<svg").count(), s.matches("</svg>").count());
        }
    }
}
