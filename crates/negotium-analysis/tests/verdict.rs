//! The analyze verdict is derived from the results: the three Kosovo
//! findings come out of the data (agreement on the technical issues and
//! none on status; the Security Council route blocked by the CHN and RUS
//! vetoes; the declaration plus recognition as a stable end state), and
//! they change when the data change (a modified Kosovo, another scenario).

use negotium_analysis::analyze::{self, AnalyzeParams, AnalyzeResult};
use negotium_analysis::verdict::{state_in_words, VerdictLens};
use negotium_scenario::{load_str, Format, Loaded};

const KOSOVO: &str = include_str!("../../../scenarios/kosovo-status.toml");

fn run(l: &Loaded) -> AnalyzeResult {
    analyze::run(l, &AnalyzeParams::default()).unwrap()
}

fn text(r: &AnalyzeResult, lens: VerdictLens) -> String {
    r.verdict
        .lens(lens)
        .map(|l| l.sentences().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Kosovo with `edits` applied (each `from` must occur exactly once).
fn kosovo_with(edits: &[(&str, &str)]) -> Loaded {
    let mut src = KOSOVO.to_string();
    for (from, to) in edits {
        assert_eq!(src.matches(from).count(), 1, "edit target `{from}`");
        src = src.replace(from, to);
    }
    load_str(&src, "kosovo-modified.toml", Format::Toml).unwrap()
}

#[test]
fn kosovo_findings_come_from_the_results() {
    let l = negotium_scenario::resolve("kosovo-status").unwrap();
    let r = run(&l);
    let lenses: Vec<VerdictLens> = r.verdict.lenses.iter().map(|l| l.lens).collect();
    assert_eq!(
        lenses,
        [
            VerdictLens::Forecast,
            VerdictLens::Conflict,
            VerdictLens::Voting,
            VerdictLens::Negotiation,
            VerdictLens::History
        ]
    );
    for l in &r.verdict.lenses {
        for s in l.sentences() {
            assert!(s.ends_with('.'), "{s}");
            assert!(s.chars().next().unwrap().is_uppercase(), "{s}");
        }
    }

    // 1. Agreement on the technical issues, none on status: every run's
    //    issue-by-issue results, read independently here.
    let neg = text(&r, VerdictLens::Negotiation);
    let runs = &r.negotiate.as_ref().unwrap().runs;
    assert!(runs.iter().all(|x| x.agreement.is_none()));
    for issue in [
        "decentralisation",
        "heritage",
        "property",
        "debt",
        "minorities",
    ] {
        for run in runs {
            let ir = run.issue_by_issue.as_ref().unwrap();
            assert!(ir.iter().any(|x| x.issue == issue && x.agreement.is_some()));
        }
        assert!(neg.contains(&format!("{issue} (Ahtisaari Annex")), "{neg}");
    }
    assert!(
        neg.contains("all four runs agree on decentralisation"),
        "{neg}"
    );
    assert!(neg.contains("No run agrees on status"), "{neg}");
    assert!(
        neg.contains("KOS wants independence without supervision"),
        "{neg}"
    );
    assert!(
        !neg.contains("ahtisaari-annex"),
        "labels, not value ids: {neg}"
    );

    // 2. The Security Council route blocked by the CHN and RUS vetoes.
    let vote = text(&r, VerdictLens::Voting);
    let known = &r.proposals.as_ref().unwrap().known;
    let ahtisaari = known
        .iter()
        .find(|p| p.vote.issue == "status" && p.vote.proposal == 75.0)
        .unwrap();
    assert!(!ahtisaari.vote.passes);
    assert_eq!(ahtisaari.vote.vetoed_by, ["CHN", "RUS"]);
    assert!(
        vote.contains("Vetoed by CHN and RUS: independence without supervision, status 100; supervised independence (Ahtisaari proposal), status 75."),
        "{vote}"
    );
    assert!(vote.contains("between 2006-03-26 and 2007-03-26"), "{vote}");
    // What followed is separate (the Troika's Hong Kong offer of November 2007).
    assert!(
        vote.contains("all five put to the UN Security Council (2007 composition) would fail."),
        "{vote}"
    );
    let (before, after) = vote.split_once("later proposals").unwrap();
    assert!(!before.contains("Hong Kong"));
    assert!(
        after.contains("Hong Kong-type arrangement, status 35"),
        "{vote}"
    );

    // 3. The declaration plus recognition as a stable end state.
    let c = r.conflict.as_ref().unwrap();
    let h = c.historical.as_ref().unwrap();
    assert_eq!(h.equilibrium_under.len(), 6);
    let con = text(&r, VerdictLens::Conflict);
    let words = state_in_words(c, h.state);
    assert_eq!(
        words,
        "Kosovo declares independence; United States recognises Kosovo; European Union recognises (member-state majority) and deploys an EU rule-of-law mission; Russia vetoes in the Security Council"
    );
    assert!(
        con.contains(&format!(
            "The recorded end state (state 101: {words}) is one of them"
        )),
        "{con}"
    );
    assert!(
        con.contains("Five of the 120 feasible states are stable under all six"),
        "{con}"
    );
    assert!(
        con.contains("in four moves (Kosovo → United States → European Union → Russia)"),
        "{con}"
    );

    // Findings are numbered 1.. in order, each naming its lens.
    let nums: Vec<usize> = r.verdict.findings().map(|f| f.number).collect();
    assert_eq!(nums, (1..=nums.len()).collect::<Vec<_>>());
    // Across lenses: status is where they part (forecast point 75, no
    // negotiated agreement, the Council veto); decentralisation is where
    // forecasts and negotiation meet, checked against the negotiated value's
    // `at` and the forecasts' nearest labels.
    use negotium_analysis::verdict::Accord;
    let across = |name: &str| {
        r.verdict
            .across
            .iter()
            .find(|f| f.text.starts_with(name))
            .unwrap_or_else(|| panic!("{name}: {:?}", r.verdict.across))
    };
    let st = across("Final status of Kosovo");
    assert_eq!(st.accord, Some(Accord::Disagree));
    assert_eq!(
        st.lenses,
        [
            VerdictLens::Forecast,
            VerdictLens::Negotiation,
            VerdictLens::Voting
        ]
    );
    assert!(
        st.text
            .contains("supervised independence (Ahtisaari proposal) (75 on 0–100)"),
        "{}",
        st.text
    );
    assert!(
        st.text
            .contains("vetoed in the UN Security Council (2007 composition) by CHN and RUS"),
        "{}",
        st.text
    );
    let de = across("Decentralisation");
    assert_eq!(de.accord, Some(Accord::Agree));
    assert_eq!(
        r.value_positions["decentralisation"]["ahtisaari-annex-iii"],
        45.0
    );
    let fc = r.forecast.as_ref().unwrap();
    let dec = fc
        .issues
        .iter()
        .find(|i| i.issue == "decentralisation")
        .unwrap();
    let at45 = dec
        .models
        .iter()
        .filter(|m| {
            m.nearest_label
                .as_deref()
                .is_some_and(|l| l.starts_with("Ahtisaari Annex III"))
        })
        .count();
    assert_eq!(at45, 4);
    assert!(
        de.text.contains("four of the five forecasting models"),
        "{}",
        de.text
    );

    // The history is split at as_of.
    let hist = text(&r, VerdictLens::History);
    let split = r.history_split.as_ref().unwrap();
    assert_eq!(split.known + split.followed, l.scenario.events.len());
    assert!(
        hist.contains(&format!(
            "{} of the {} dated events",
            split.known,
            l.scenario.events.len()
        )),
        "{hist}"
    );
    assert!(
        hist.contains("2008-02-17 Kosovo declares independence"),
        "{hist}"
    );
}

#[test]
fn a_modified_kosovo_changes_the_verdict() {
    let l = kosovo_with(&[
        // Russia and China come round to supervised independence.
        (
            // (the stance in force at as_of; the dated ones follow it)
            "actor = \"RUS\"\nissue = \"status\"\nposition = 30.0\nsalience = 0.6\n",
            "actor = \"RUS\"\nissue = \"status\"\nposition = 80.0\nsalience = 0.6\n",
        ),
        (
            "actor = \"CHN\"\nissue = \"status\"\nposition = 30.0\nsalience = 0.3\nposition_range = [20.0, 40.0]",
            "actor = \"CHN\"\nissue = \"status\"\nposition = 80.0\nsalience = 0.3\nposition_range = [70.0, 90.0]",
        ),
        // Belgrade's alternative on status is worth less than supervised
        // independence (0.05), so status gets a zone of agreement.
        (
            "values = [1.0, 0.80, 0.85, 0.50, 0.05, 0.0]\nreservation = 0.60",
            "values = [1.0, 0.80, 0.85, 0.50, 0.05, 0.0]\nreservation = 0.01",
        ),
        // The recorded end state: the status quo, where nobody moved.
        (
            "historical = \"!srb_accept & !force & !partition & udi & !autonomy & us_recognise & eu_recognise & eulex & veto & !ru_recognise\"",
            "historical = \"!srb_accept & !force & !partition & !udi & !autonomy & !us_recognise & !eu_recognise & !eulex & !veto & !ru_recognise\"",
        ),
    ]);
    let r = run(&l);
    let vote = text(&r, VerdictLens::Voting);
    let p = r.proposals.as_ref().unwrap();
    let ahtisaari = p
        .known
        .iter()
        .find(|p| p.vote.issue == "status" && p.vote.proposal == 75.0)
        .unwrap();
    assert!(ahtisaari.vote.passes);
    assert!(
        vote.contains("Passing: ")
            && vote.contains("supervised independence (Ahtisaari proposal), status 75 (9 yes)"),
        "{vote}"
    );
    assert!(!vote.contains("vetoed by CHN and RUS"), "{vote}");

    let neg = text(&r, VerdictLens::Negotiation);
    assert!(!neg.contains("No run agrees on status"), "{neg}");
    assert!(
        neg.contains("status (supervised independence (Ahtisaari proposal))"),
        "{neg}"
    );

    let con = text(&r, VerdictLens::Conflict);
    let h = r.conflict.as_ref().unwrap().historical.as_ref().unwrap();
    assert_eq!(h.state, 1);
    assert!(
        con.contains("The recorded end state (state 1: no option is taken)"),
        "{con}"
    );
    assert!(!con.contains("is one of them"), "{con}");
    if h.equilibrium_under.is_empty() {
        assert!(con.contains("is not stable under any concept"), "{con}");
    } else {
        assert!(con.contains("but not under"), "{con}");
    }
}

#[test]
fn emission_standards_verdict_is_the_forecast_alone() {
    let l = negotium_scenario::resolve("emission-standards").unwrap();
    let r = run(&l);
    let lenses: Vec<VerdictLens> = r.verdict.lenses.iter().map(|l| l.lens).collect();
    assert_eq!(lenses, [VerdictLens::Forecast]);
    let f = text(&r, VerdictLens::Forecast);
    let is = &r.forecast.as_ref().unwrap().issues[0];
    // The models' spread and the best and worst error, recomputed here.
    let mut errs: Vec<(&str, f64)> = is
        .models
        .iter()
        .map(|m| (m.model.as_str(), m.error.unwrap()))
        .collect();
    errs.sort_by(|a, b| a.1.total_cmp(&b.1));
    let best = errs[0];
    let worst = errs[errs.len() - 1];
    assert!(f.contains(&format!("{} comes closest", best.0)), "{f}");
    assert!(f.contains(&format!("{} is furthest", worst.0)), "{f}");
    assert!(f.contains("the one issue"), "{f}");
    let labels: std::collections::BTreeSet<_> =
        is.models.iter().map(|m| m.nearest_label.clone()).collect();
    if labels.len() > 1 {
        assert!(f.contains("the models split"), "{f}");
    } else {
        assert!(f.contains("All five models agree on one issue"), "{f}");
    }
    assert!(r.history_split.is_none() && r.proposals.is_none());
}
