//! Structure of the HTML report: section ids and element counts (insta),
//! escaping of user strings, and leniency towards malformed lens JSON.

use negotium_report::html::{self, ReportInput};
use negotium_scenario::spatial::{forecast, ForecastRequest};
use negotium_scenario::{load_str, Format};
use negotium_spatial::{EumOptions, ModelSpec};
use serde_json::Value;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

/// A compact outline: each section's id with its counts of charts, tables
/// and "not available" notes, plus chart kinds in order.
fn outline(page: &str) -> String {
    let mut out = String::new();
    for part in page.split("<section id=\"").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        let body = &part[..part.find("</section>").unwrap()];
        let kinds: Vec<&str> = body
            .split("class=\"chart ")
            .skip(1)
            .map(|p| &p[..p.find('"').unwrap()])
            .collect();
        out.push_str(&format!(
            "{id}: tables={} na={} charts=[{}]\n",
            body.matches("<table").count(),
            body.matches("class=\"na\"").count(),
            kinds.join(", ")
        ));
    }
    out
}

fn mini() -> negotium_scenario::Scenario {
    load_str(&fixture("mini.toml"), "mini.toml", Format::Toml)
        .unwrap()
        .scenario
}

#[test]
fn full_report_outline() {
    let sc = mini();
    let req = ForecastRequest {
        joint: false,
        issues: vec![],
        models: vec![
            ModelSpec::Median,
            ModelSpec::Eum(EumOptions {
                rounds: 3,
                ..EumOptions::default()
            }),
        ],
    };
    let f = forecast(&sc, &req).unwrap();
    let (c, p, n, pa) = (
        json("conflict.json"),
        json("power.json"),
        json("negotiate.json"),
        json("pareto.json"),
    );
    let page = html::render(&ReportInput {
        forecast: Some(&f),
        conflict: Some(&c),
        power: Some(&p),
        negotiate: Some(&n),
        pareto: Some(&pa),
        generator: Some("negotium test"),
        ..ReportInput::new(&sc)
    });
    if let Ok(path) = std::env::var("NEGOTIUM_REPORT_DUMP") {
        // For looking at the page in a browser while developing.
        std::fs::write(path, &page).unwrap();
    }
    insta::assert_snapshot!(outline(&page));
    // The EUM trajectory has one series per actor plus the median.
    let traj = page.split("data-model=\"eum\"").nth(1).unwrap();
    let traj = &traj[..traj.find("</figure>").unwrap()];
    assert_eq!(traj.matches("class=\"series\"").count(), 4);
    assert!(traj.contains("data-name=\"weighted median\""));
    // Option form: state 3 is NY, state 4 is YY.
    assert!(page.contains("<th>state 3</th><th>state 4</th>"));
    // Power: 3 members × 2 indices.
    assert_eq!(page.matches("class=\"bar\"").count(), 6);
}

#[test]
fn user_strings_are_escaped() {
    let sc = mini();
    let page = html::render(&ReportInput::new(&sc));
    assert!(!page.contains("<script"), "no raw script tag may appear");
    assert!(page.contains("Mini &lt;script&gt;alert(1)&lt;/script&gt; talks"));
    assert!(page.contains("Declaration &lt;b&gt;of&lt;/b&gt; independence"));
    insta::assert_snapshot!("scenario_only", outline(&page));
}

#[test]
fn malformed_lens_json_never_panics() {
    let sc = mini();
    let odd = [
        Value::Null,
        serde_json::json!(42),
        serde_json::json!("text"),
        serde_json::json!([1, "a", null, {"x": []}]),
        serde_json::json!({"issues": [{"models": [{"rounds": [{"positions": 3}]}]}]}),
        serde_json::json!({"options": ["a"], "equilibria": {"nash": ["x", 1e300]}, "states": 3,
                           "status_quo": [1, {"number": 2}, null]}),
        serde_json::json!({"institutions": [{"indices": {"ss": {"A": "0.5", "B": null}}}]}),
        serde_json::json!({"runs": [{"utilities": {"A": 1, "B": "x"}, "trace": [{"utilities": [1]}]}]}),
    ];
    for v in &odd {
        let page = html::render(&ReportInput {
            conflict: Some(v),
            power: Some(v),
            negotiate: Some(v),
            pareto: Some(v),
            ..ReportInput::new(&sc)
        });
        assert!(page.ends_with("</html>\n"));
        for lens in [
            "forecast",
            "conflict",
            "power",
            "negotiate",
            "pareto",
            "history",
            "other",
        ] {
            let _ = html::lens_section(lens, v, Some(&sc));
        }
    }
    let page = html::render(&ReportInput {
        power: Some(&odd[1]),
        ..ReportInput::new(&sc)
    });
    assert!(page.contains("Not available: the power result lists no institutions."));
}

#[test]
fn kosovo_report_has_a_trajectory_per_dynamic_model() {
    let loaded = negotium_scenario::resolve("kosovo-status").unwrap();
    let req = ForecastRequest {
        joint: false,
        issues: vec!["status".into()],
        models: vec![ModelSpec::Median, ModelSpec::Eum(EumOptions::default())],
    };
    let f = forecast(&loaded.scenario, &req).unwrap();
    let page = html::render(&ReportInput {
        forecast: Some(&f),
        ..ReportInput::new(&loaded.scenario)
    });
    assert_eq!(page.matches("class=\"trajectory\"").count(), 1);
    assert_eq!(page.matches("class=\"chart dot-plot\"").count(), 1);
    let n_actors = f.issues[0].actors.len();
    let traj = page.split("class=\"trajectory\"").nth(1).unwrap();
    let traj = &traj[..traj.find("</figure>").unwrap()];
    assert_eq!(traj.matches("class=\"series\"").count(), n_actors + 1);
}
