//! `as_of` reaches the sweep and advise lenses as it reaches the forecast:
//! the stances in force on the date are the ones used (the point forecast
//! inside each lens equals the forecast lens's at the same date), and a
//! date before the scenario's data is refused naming the parameter.

use negotium_analysis::advise::{self, AdviseParams};
use negotium_analysis::forecast::{self, ForecastParams};
use negotium_analysis::sweep::{self, SweepParams};

const EARLY: &str = "2006-01-01";

fn kosovo() -> negotium_scenario::Loaded {
    negotium_scenario::resolve("kosovo-status").unwrap()
}

fn median_forecast(as_of: Option<&str>, issue: &str) -> f64 {
    let p = ForecastParams {
        model: vec!["median".into()],
        issue: vec![issue.into()],
        as_of: as_of.map(str::to_string),
        ..Default::default()
    };
    let r = forecast::run(&kosovo(), &p).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    v["issues"][0]["models"][0]["forecast"]
        .as_f64()
        .expect("a median forecast")
}

#[test]
fn advise_reads_the_stances_in_force_on_its_date() {
    for date in [None, Some(EARLY)] {
        let p = AdviseParams {
            model: vec!["median".into()],
            issue: vec!["status".into()],
            as_of: date.map(str::to_string),
            ..AdviseParams::new("SRB")
        };
        let r = advise::run(&kosovo(), &p).unwrap();
        assert_eq!(
            r.issues[0].models[0].forecast,
            median_forecast(date, "status"),
            "as_of {date:?}"
        );
    }
}

#[test]
fn the_sweep_changes_with_its_date_and_refuses_one_before_the_data() {
    let run = |date: Option<&str>| {
        let p = SweepParams {
            draws: 40,
            model: vec!["median".into(), "compromise".into()],
            as_of: date.map(str::to_string),
            ..Default::default()
        };
        serde_json::to_string(&sweep::run(&kosovo(), &p).unwrap()).unwrap()
    };
    assert_ne!(
        run(None),
        run(Some(EARLY)),
        "dated stances change between 2006 and 2007"
    );
    let p = SweepParams {
        draws: 10,
        as_of: Some("1900-01-01".into()),
        ..Default::default()
    };
    let e = sweep::run(&kosovo(), &p).unwrap_err();
    assert!(e.to_string().contains("as_of"), "{e}");
}
