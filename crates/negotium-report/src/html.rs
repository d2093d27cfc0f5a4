//! The HTML shared by the report page ([`crate::report_html`]) and the web
//! workbench: the stylesheet, the page shell, the actors table, and
//! [`lens_section`], which renders a stored lens result (its `--json`
//! contract) by deserialising it into the lens's typed result and drawing
//! the report's section for it. Everything is maud: scenario strings are
//! escaped by construction.

use std::collections::BTreeMap;

use maud::{html, Markup, PreEscaped};
use negotium_analysis::analyze::{AnalyzeResult, IssueScale, NegotiateRuns, ScenarioSize};
use negotium_analysis::history::HistoryResult;
use negotium_analysis::tournament::TournamentResult;
use negotium_analysis::vote::VoteResult;
use negotium_scenario::{Event, Scenario};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::num;
use crate::report_html as rh;

/// One stylesheet for the report page and the workbench.
pub const CSS: &str = r#"
:root{--ink:#111;--muted:#555;--line:#ddd;--accent:#0072B2;--agree:#009E73;--disagree:#D55E00;--bad:#D55E00}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:0;line-height:1.45;background:#fafafa}
header.page{background:#fff;border-bottom:1px solid var(--line);padding:12px 20px}
header.page h1{margin:0;font-size:1.45rem}
header.page p{margin:.2em 0;color:var(--muted)}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin-top:6px}
nav a{color:var(--accent);text-decoration:none}
main{max-width:1000px;margin:0 auto;padding:8px 16px 40px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 18px;margin:16px 0}
h2{margin:.2em 0 .5em;font-size:1.25rem}
h3{margin:1em 0 .3em;font-size:1.05rem}
h4{margin:.8em 0 .2em;font-size:.95rem}
ol.findings{padding-left:2.4em}
ol.findings li{margin:.35em 0}
.lens{display:inline-block;font-size:.75rem;border:1px solid var(--line);border-radius:3px;padding:0 4px;margin-right:4px;color:var(--muted);white-space:nowrap}
.agree{color:var(--agree);font-weight:600}
.disagree{color:var(--disagree);font-weight:600}
table{border-collapse:collapse;margin:8px 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.Y{background:#e6f2fa;text-align:center;font-weight:bold}
td.N{text-align:center;color:var(--muted)}
td.eq{text-align:center;color:#009E73;font-weight:bold}
th.dm{background:#eaeaea}
table.option-form td:first-child{min-width:13em;position:sticky;left:0;background:#fff;z-index:1}
.scroll{overflow-x:auto;max-width:100%}
abbr[title]{text-decoration:underline dotted;cursor:help}
figure{margin:10px 0}
figcaption{color:var(--muted);font-size:.85rem}
svg.chart{max-width:100%;min-width:460px;height:auto;display:block;background:#fff}
svg.chart.timeline{min-width:680px}
svg.chart text{font-family:system-ui,sans-serif;fill:#222}
details.detail{margin:12px 0;border-top:1px dashed var(--line);padding-top:6px}
details summary{cursor:pointer;font-weight:600;color:var(--accent)}
.na{color:var(--muted);font-style:italic}
.note{color:var(--muted);font-size:.9rem}
.error{color:var(--bad)}
dl.glossary dt{font-weight:600;margin-top:.5em}
dl.glossary dd{margin:0 0 0 1.5em}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:12px}
code,pre,textarea{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
pre{overflow-x:auto;max-width:100%}
@media (max-width:600px){main{padding:4px 6px 24px}section{padding:10px 10px}}
"#;

/// Wraps body HTML in a complete page with the stylesheet (`title`, the nav
/// entries and `footer` are escaped; `body` is markup built by this crate).
pub fn page(title: &str, nav: &[(&str, &str)], body: &str, footer: &str) -> String {
    let page = html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.page {
                    h1 { (title) }
                    @if !nav.is_empty() {
                        nav { @for (href, label) in nav { a href=(href) { (label) } } }
                    }
                }
                main { (PreEscaped(body)) }
                footer { (footer) }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}

/// A one-lens page (e.g. `negotium backtest --html`): the report's shell
/// and stylesheet around one section.
pub fn lens_page(title: &str, section: Markup, generator: &str) -> String {
    let body = html! { section { (section) } }.into_string();
    page(title, &[], &body, generator)
}

/// Actors (capability) by issue (position / salience).
pub fn actors_section(sc: &Scenario) -> String {
    let inp = &sc.inputs;
    html! {
        section #actors {
            h2 { "Actors & stances" }
            @if inp.actors.is_empty() {
                p.na { "Not available: the scenario has no actors." }
            } @else {
                p.note { "Each cell: position on the issue's scale / salience (0–1)." }
                div.scroll {
                    table.actors {
                        thead { tr {
                            th { "id" } th { "actor" } th { "capability" }
                            @for is in &inp.issues {
                                th title=(is.name) { (is.id) br; span.note { (num(is.min, 2)) "–" (num(is.max, 2)) } }
                            }
                        } }
                        tbody {
                            @for a in &inp.actors {
                                tr {
                                    td { code { (a.id) } } td { (a.name) } td.num { (num(a.capability, 3)) }
                                    @for is in &inp.issues {
                                        @match inp.stances.iter().find(|st| st.actor == a.id && st.issue == is.id) {
                                            Some(st) => td.num title=(st.notes.as_deref().unwrap_or("")) { (num(st.position, 2)) " / " (num(st.salience, 2)) },
                                            None => td {},
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

/// The scenario's dated events (a JSON list of events, or an object with
/// `events`): the timeline chart and the table.
pub fn history_body(events: &Value) -> String {
    let list = events.get("events").unwrap_or(events);
    match serde_json::from_value::<Vec<Event>>(list.clone()) {
        Ok(ev) if ev.is_empty() => {
            html! { p.na { "Not available: the scenario records no dated events." } }.into_string()
        }
        Ok(ev) => rh::events_detail(&ev, None, true).into_string(),
        Err(_) => json_dump(events).into_string(),
    }
}

/// A result the renderer cannot read, shown as JSON.
fn json_dump(v: &Value) -> Markup {
    html! {
        p.note { "This result is not in a shape the report reads; here it is as stored." }
        pre { (serde_json::to_string_pretty(v).unwrap_or_default()) }
    }
}

/// An analyze result holding nothing but the scenario's facts, for drawing
/// one lens's section.
fn skeleton(sc: Option<&Scenario>) -> AnalyzeResult {
    let (id, title, as_of, issues, size) = match sc {
        Some(s) => (
            s.scenario.id.clone(),
            s.scenario.title.clone(),
            s.scenario.as_of.clone(),
            s.inputs
                .issues
                .iter()
                .map(|i| IssueScale {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    min: i.min,
                    max: i.max,
                    unit: i.unit.clone(),
                })
                .collect(),
            ScenarioSize {
                actors: s.inputs.actors.len(),
                issues: s.inputs.issues.len(),
                stances: s.inputs.stances.len(),
                events: s.events.len(),
            },
        ),
        None => (
            String::new(),
            String::new(),
            None,
            Vec::new(),
            ScenarioSize {
                actors: 0,
                issues: 0,
                stances: 0,
                events: 0,
            },
        ),
    };
    AnalyzeResult {
        scenario: id,
        title,
        as_of,
        source: String::new(),
        seed: 0,
        verdict: Default::default(),
        size,
        issues,
        forecast: None,
        conflict: None,
        conflict_skipped: None,
        power: None,
        proposals: None,
        negotiate: None,
        pareto: None,
        value_labels: BTreeMap::new(),
        value_positions: BTreeMap::new(),
        history: None,
        history_split: None,
        timeline: None,
        replay: None,
        uncertainty: None,
    }
}

fn typed<T: DeserializeOwned>(v: &Value) -> Option<T> {
    serde_json::from_value(v.clone()).ok()
}

/// The body of one lens's stored result, as the workbench shows a run: the
/// JSON is read into the lens's typed result and drawn as the report draws
/// it (with its detail); a result that does not read, or a lens without a
/// renderer, is shown as JSON.
pub fn lens_section(lens: &str, v: &Value, scenario: Option<&Scenario>) -> String {
    let mut r = skeleton(scenario);
    let body: Option<Markup> = match lens {
        "forecast" => typed(v).map(|f| {
            r.forecast = Some(f);
            rh::forecast_section(&r)
        }),
        "conflict" => typed(v).map(|c| {
            r.conflict = Some(c);
            rh::conflict_section(&r)
        }),
        "power" => typed(v).map(|p| {
            r.power = Some(p);
            rh::power_section(&r)
        }),
        "negotiate" => {
            // One protocol run, a list of runs, or `{"runs": [..]}`.
            let runs = typed::<NegotiateRuns>(v)
                .map(|n| n.runs)
                .or_else(|| typed(v))
                .or_else(|| typed(v).map(|n| vec![n]));
            runs.map(|runs| {
                r.negotiate = Some(NegotiateRuns { runs });
                rh::negotiation_section(&r)
            })
        }
        "pareto" => typed(v).map(|p| {
            r.pareto = Some(p);
            rh::pareto_section(&r)
        }),
        "history" => typed::<HistoryResult>(v).map(|h| {
            r.as_of = h.as_of.clone().or(r.as_of.take());
            r.history = Some(h);
            rh::history_section(&r)
        }),
        "vote" => typed::<VoteResult>(v).map(|x| vote_section(&x)),
        "tournament" => typed::<TournamentResult>(v).map(|t| tournament_section(&t)),
        "analyze" => typed::<AnalyzeResult>(v).map(|a| rh::body(&a)),
        _ => None,
    };
    match body {
        Some(b) => html! {
            (b)
            details { summary { "The whole result (JSON)" } pre { (serde_json::to_string_pretty(v).unwrap_or_default()) } }
        }
        .into_string(),
        None => json_dump(v).into_string(),
    }
}

/// A proposal put to one body: the outcome and every member's ballot.
fn vote_section(v: &VoteResult) -> Markup {
    html! {
        section #vote {
            h2 { "Vote: " (v.name) }
            p {
                (v.issue) " = " (num(v.proposal, 2))
                @if let Some(l) = &v.proposal_label { " (" (l) ")" }
                " against the status quo " (num(v.status_quo, 2))
                @if let Some(l) = &v.status_quo_label { " (" (l) ")" }
                ": " strong { @if v.passes { "passes" } @else { "fails" } }
                @if !v.vetoed_by.is_empty() { " — vetoed by " (v.vetoed_by.join(", ")) }
                ". Ballots yes–no–abstain: " (v.yes) "–" (v.no) "–" (v.abstain) "."
            }
            div.scroll {
                table {
                    thead { tr { th { "member" } th { "ballot" } th { "why" } } }
                    tbody {
                        @for m in &v.members {
                            tr {
                                td { (m) @if v.veto_holders.contains(m) { " " small { "(veto)" } } }
                                td { (v.votes.get(m).map_or("—", String::as_str)) }
                                td { (v.why.get(m).map_or("", String::as_str)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A tournament's summary per strategy.
fn tournament_section(t: &TournamentResult) -> Markup {
    html! {
        section #tournament {
            h2 { "Tournament" }
            p {
                (t.records.len()) " negotiations over " (t.problems.len()) " problems, "
                (t.spec.repetitions) " repetitions, seed " (t.spec.seed) "."
            }
            @for n in &t.notes { p.note { (n) } }
            div.scroll {
                table {
                    thead { tr {
                        th { "strategy" } th { "negotiations" } th { "agreement rate" }
                        th { "mean utility (0–1)" } th { "mean advantage over reservation" }
                        th { "mean welfare" } th { "mean distance to Pareto" }
                    } }
                    tbody {
                        @for s in &t.summary {
                            tr {
                                td { (s.strategy) } td.num { (s.negotiations) } td.num { (num(s.agreement_rate, 3)) }
                                td.num { (num(s.mean_utility, 3)) } td.num { (num(s.mean_advantage, 3)) }
                                td.num { (num(s.mean_welfare, 3)) } td.num { (num(s.mean_dist_pareto, 3)) }
                            }
                        }
                    }
                }
            }
        }
    }
}
