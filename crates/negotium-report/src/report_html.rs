//! The analyze report as one self-contained HTML page (maud templates, so
//! every string from a scenario is escaped; inline CSS and SVG, no script,
//! no network): the verdict first, then one compact section per lens with a
//! chart a person can read (labelled axes with units, direct labels or a
//! short legend, nothing clipped), and a glossary of every term the page
//! uses (each term also defined on hover where a table names it).

use maud::{html, Markup, PreEscaped, DOCTYPE};
use negotium_analysis::analyze::{AnalyzeResult, ProposalVote};
use negotium_analysis::conflict::concept_label;
use negotium_analysis::history::date_key;
use negotium_analysis::power::{index_label, InstitutionPower};
use negotium_analysis::verdict::{state_in_words, value_label, Accord, Finding};
use negotium_scenario::spatial::IssueForecast;

use crate::glossary::{concept_key, term, used_in_closed, TERMS};
use crate::num;
use crate::svg::read::{self, MAX_COLOURED};
use negotium_analysis::conflict::ConflictResult;
use negotium_analysis::negotiate::NegotiateResult;
use negotium_scenario::Event;

/// The models in the order the report shows them, with their colours
/// (Okabe–Ito, colour-blind safe).
const MODEL_COLOURS: [(&str, &str); 6] = [
    ("median", "#0072B2"),
    ("compromise", "#E69F00"),
    ("nash", "#009E73"),
    ("eum", "#D55E00"),
    ("smp", "#CC79A7"),
    ("exchange", "#56B4E9"),
];

/// The concepts in the order GMCR texts give them.
const CONCEPTS: [&str; 6] = ["nash", "gmr", "smr", "seq", "sim", "seq_sim"];

/// Members shown per institution in the power chart (the rest summed up).
const MEMBERS_SHOWN: usize = 15;

/// The page's sections below the header: the verdict, then one section
/// per lens the result holds, each with its detail folded below it.
pub fn body(r: &AnalyzeResult) -> Markup {
    html! {
        (verdict(r))
        @if r.forecast.is_some() { (forecast_section(r)) }
        @if let Some(rp) = &r.replay { (crate::replay::report_section(rp)) }
        @if let Some(u) = &r.uncertainty { (crate::sweep::report_section(u)) }
        @if r.conflict.is_some() || r.conflict_skipped.is_some() { (conflict_section(r)) }
        @if r.power.is_some() { (power_section(r)) }
        @if r.negotiate.is_some() { (negotiation_section(r)) }
        @if r.history.is_some() { (history_section(r)) }
    }
}

/// The whole page.
pub fn render(r: &AnalyzeResult, generator: &str) -> String {
    let body = body(r);
    // The glossary lists every term the page names, with the terms their
    // definitions name.
    let mut text = visible_text(&body.0);
    for t in TERMS {
        // Terms shown under another form (e.g. "equilibria") and defined on hover.
        if body
            .0
            .contains(&html! { abbr title=(t.definition) {} }.0[..].replace("></abbr>", ">"))
        {
            text.push(' ');
            text.push_str(t.term);
        }
    }
    let used = used_in_closed(&text);
    let nav: Vec<(&str, &str)> = [
        ("verdict", "Verdict", true),
        ("forecast", "Forecasts", r.forecast.is_some()),
        ("over-time", "Over time", r.replay.is_some()),
        ("uncertainty", "Uncertainty", r.uncertainty.is_some()),
        (
            "conflict",
            "Conflict",
            r.conflict.is_some() || r.conflict_skipped.is_some(),
        ),
        ("voting", "Voting", r.power.is_some()),
        ("negotiation", "Negotiation", r.negotiate.is_some()),
        ("history", "History", r.history.is_some()),
        ("glossary", "Glossary", !used.is_empty()),
    ]
    .into_iter()
    .filter(|x| x.2)
    .map(|(a, b, _)| (a, b))
    .collect();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (r.title) " — negotium analysis" }
                style { (PreEscaped(crate::html::CSS)) }
            }
            body {
                header.page {
                    h1 { (r.title) }
                    p {
                        "Scenario " code { (r.scenario) } " from " (r.source)
                        @if let Some(d) = &r.as_of { "; inputs as of " strong { (d) } }
                        " — " (r.size.actors) " actors, " (r.size.issues) " issues, "
                        (r.size.stances) " stances, " (r.size.events) " dated events; seed " (r.seed) "."
                    }
                    nav { @for (id, label) in &nav { a href={ "#" (id) } { (label) } } }
                }
                main {
                    (body)
                    @if !used.is_empty() {
                        section #glossary {
                            h2 { "Glossary" }
                            p.note { "Every model, concept and index this page names, in one line, with its unit." }
                            dl.glossary {
                                @for t in &used {
                                    dt id={ "term-" (t.key) } { (t.term) }
                                    dd { (t.definition) }
                                }
                            }
                        }
                    }
                }
                footer { (generator) }
            }
        }
    };
    page.into_string()
}

/// The text a reader sees: tags dropped, the entities maud writes decoded.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut in_tag = false;
    let mut in_style = false;
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if !in_tag && rest.starts_with("<style") {
            in_style = true;
        }
        if in_style && rest.starts_with("</style>") {
            in_style = false;
        }
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag && !in_style => out.push(c),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A term named with its definition on hover (plain text for unknown keys).
fn abbr(key: &str, shown: &str) -> Markup {
    match term(key) {
        Some(t) => html! { abbr title=(t.definition) { (shown) } },
        None => html! { (shown) },
    }
}

fn lens_badges(f: &Finding) -> Markup {
    html! {
        @for l in &f.lenses { span.lens { (l.name()) } }
    }
}

// ---------- verdict ----------

/// The verdict section alone (the workbench shows it on a stored
/// `analyze` run, above the result's JSON).
pub fn verdict_section(r: &AnalyzeResult) -> String {
    verdict(r).into_string()
}

fn verdict(r: &AnalyzeResult) -> Markup {
    let v = &r.verdict;
    let agree = v
        .across
        .iter()
        .filter(|f| f.accord == Some(Accord::Agree))
        .count();
    html! {
        section #verdict {
            h2 { "Verdict" }
            @if v.lenses.is_empty() {
                p { "The scenario has nothing any lens can analyse." }
            } @else {
                p.note {
                    (v.findings().count()) " findings from " (v.lenses.len())
                    " lenses, numbered, each marked with the lens it comes from. "
                    @match &r.as_of {
                        Some(d) => { "The inputs describe " strong { (d) } "; what followed is kept apart and read by no model." }
                        None => { "The scenario gives no as-of date: every dated event counts as known." }
                    }
                }
                @for l in &v.lenses {
                    h3 { (l.title) }
                    ol.findings start=(l.findings.first().map_or(1, |f| f.number)) {
                        @for f in &l.findings { li { (lens_badges(f)) (f.text) } }
                    }
                }
                @if !v.across.is_empty() {
                    h3 { "Across lenses" }
                    p.note {
                        "Issue by issue, the forecasts, the negotiation runs and the votes on the same scale: they agree on "
                        (agree) " of " (v.across.len()) " issues and disagree on " (v.across.len() - agree) "."
                        @if r.conflict.is_some() { " The conflict lens works with options, not points of these scales, so it speaks only through its own findings." }
                    }
                    ol.findings start=(v.across[0].number) {
                        @for f in &v.across {
                            li {
                                (lens_badges(f))
                                @match f.accord {
                                    Some(Accord::Agree) => span.agree { "agree " },
                                    Some(Accord::Disagree) => span.disagree { "disagree " },
                                    None => {},
                                }
                                (f.text)
                            }
                        }
                    }
                }
            }
        }
    }
}

// ---------- forecast ----------

fn model_colour(model: &str) -> &'static str {
    MODEL_COLOURS
        .iter()
        .find(|m| m.0 == model)
        .map_or("#555555", |m| m.1)
}

/// Nice tick positions over `lo..=hi` (about five).
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).abs().max(f64::EPSILON);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag);
    let mut out = Vec::new();
    let mut t = (lo / step).ceil() * step;
    while t <= hi + step * 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

/// One issue's dot plot: a row per model (its name at the left, its
/// forecast beside the dot) and a row for the recorded outcome, over the
/// issue's scale with its ticks and axis title.
fn dot_plot(is: &IssueForecast) -> Markup {
    const W: f64 = 600.0;
    const LEFT: f64 = 130.0;
    const RIGHT: f64 = 40.0;
    const ROW: f64 = 22.0;
    let rows = is.models.len() + usize::from(is.outcome.is_some());
    let plot_h = ROW * rows as f64;
    let h = plot_h + 58.0;
    let x = |v: f64| LEFT + (v - is.min) / (is.max - is.min).max(f64::EPSILON) * (W - LEFT - RIGHT);
    let y = |i: usize| 12.0 + ROW * i as f64 + ROW / 2.0;
    html! {
        svg.chart.dot-plot viewBox={ "0 0 " (W) " " (h) } width=(W) height=(h) role="img"
            aria-label={ "Forecasts for " (is.name) } {
            @for t in ticks(is.min, is.max) {
                line x1=(x(t)) x2=(x(t)) y1="8" y2=(12.0 + plot_h) stroke="#e4e4e4" {}
                text x=(x(t)) y=(28.0 + plot_h) text-anchor="middle" font-size="12" { (num(t, 2)) }
            }
            line x1=(LEFT) x2=(W - RIGHT) y1=(12.0 + plot_h) y2=(12.0 + plot_h) stroke="#000" {}
            text x=((LEFT + W - RIGHT) / 2.0) y=(48.0 + plot_h) text-anchor="middle" font-size="12" {
                "position on the issue's scale (" (num(is.min, 2)) "–" (num(is.max, 2)) " scale points)"
            }
            @for (i, m) in is.models.iter().enumerate() {
                g.series data-name=(m.model) {
                    text x=(LEFT - 8.0) y=(y(i) + 4.0) text-anchor="end" font-size="12" { (m.model) }
                    line x1=(LEFT) x2=(W - RIGHT) y1=(y(i)) y2=(y(i)) stroke="#f0f0f0" {}
                    circle cx=(x(m.forecast)) cy=(y(i)) r="6" fill=(model_colour(&m.model)) {
                        title { (m.model) ": " (num(m.forecast, 2)) @if !m.converged { " (not converged)" } }
                    }
                    @let right = x(m.forecast) > W - RIGHT - 80.0;
                    text x=(if right { x(m.forecast) - 10.0 } else { x(m.forecast) + 10.0 }) y=(y(i) + 4.0)
                        text-anchor=(if right { "end" } else { "start" }) font-size="11" {
                        (num(m.forecast, 2)) @if !m.converged { " (no conv.)" }
                    }
                }
            }
            @if let Some(o) = is.outcome {
                @let i = is.models.len();
                g.series data-name="recorded outcome" {
                    text x=(LEFT - 8.0) y=(y(i) + 4.0) text-anchor="end" font-size="12" font-weight="bold" { "recorded outcome" }
                    path d={ "M" (x(o)) "," (y(i) - 7.0) " l7,7 l-7,7 l-7,-7 z" } fill="#000" {}
                    text x=(if x(o) > W - RIGHT - 80.0 { x(o) - 10.0 } else { x(o) + 10.0 }) y=(y(i) + 4.0)
                        text-anchor=(if x(o) > W - RIGHT - 80.0 { "end" } else { "start" }) font-size="11" { (num(o, 2)) }
                }
            }
        }
    }
}

/// The forecasts: a dot plot per issue, the errors, and (folded) each
/// dynamic model's round-by-round trajectories.
pub fn forecast_section(r: &AnalyzeResult) -> Markup {
    let Some(f) = &r.forecast else {
        return html! {};
    };
    let issues = &f.issues;
    let unit = |id: &str| {
        r.issues
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| i.unit.clone())
    };
    // Models in the order of the first issue (they are the same for all).
    let models: Vec<&str> = issues
        .first()
        .map(|i| i.models.iter().map(|m| m.model.as_str()).collect())
        .unwrap_or_default();
    html! {
        section #forecast {
            h2 { "Spatial forecasts" }
            p.note {
                "Each model's forecast on each issue's scale, with the recorded outcome (used only to score, never read by a model). Models: "
                @for (k, m) in models.iter().enumerate() {
                    @if k > 0 { ", " }
                    (abbr(m, m))
                }
                ". A model marked “no conv.” stopped at its last round without converging."
            }
            @for is in issues {
                figure {
                    h3 { (is.name) }
                    @if let Some(u) = unit(&is.issue) { p.note { "Scale: " (u) "." } }
                    @if is.models.is_empty() {
                        p.note { "No stances on this issue: nothing to forecast." }
                    } @else {
                        div.scroll { (dot_plot(is)) }
                    }
                }
            }
            @let scored: Vec<(&str, f64, usize)> = models.iter().filter_map(|m| {
                let e: Vec<f64> = issues.iter().flat_map(|i| &i.models).filter(|x| x.model == *m).filter_map(|x| x.error).collect();
                (!e.is_empty()).then(|| (*m, e.iter().sum::<f64>() / e.len() as f64, e.len()))
            }).collect();
            @if !scored.is_empty() {
                h3 { "Error against the recorded outcomes" }
                table {
                    thead { tr { th { "model" } th { "issues scored" } th { (abbr("error", "mean absolute error")) " (scale points)" } } }
                    tbody {
                        @for (m, e, n) in &scored {
                            tr { td { (abbr(m, m)) } td.num { (n) } td.num { (num(*e, 2)) } }
                        }
                    }
                }
            }
            (forecast_detail(issues))
        }
    }
}

// ---------- conflict ----------

/// The conflict: the robust states in concept order, and (folded) the
/// option form of every stable state and the moves from the status quo.
pub fn conflict_section(r: &AnalyzeResult) -> Markup {
    let Some(c) = &r.conflict else {
        return html! {
            section #conflict {
                h2 { "Strategic conflict (" (abbr("gmcr", "GMCR")) ")" }
                p { "Not analysed: " (r.conflict_skipped.as_deref().unwrap_or("")) }
            }
        };
    };
    let (concepts, states) = stable_states(c);
    let shown = states.len().min(12);
    let historical = c.historical.as_ref().map(|h| h.state);
    html! {
        section #conflict {
            h2 { "Strategic conflict (" (abbr("gmcr", "GMCR")) ")" }
            p {
                (c.dms.len()) " decision makers, " (c.options.len()) " options, " (c.states.len()) " feasible states. "
                "The table lists the states stable for every decision maker under at least one concept ("
                (abbr("equilibrium", "equilibria")) "), most robust first, in concept order, each named by the options taken."
            }
            div.scroll {
                table {
                    thead {
                        tr {
                            th { "state" }
                            th { "options taken" }
                            @for k in &concepts { th { (abbr(concept_key(k), concept_label(k))) } }
                        }
                    }
                    tbody {
                        @for (s, _) in states.iter().take(shown) {
                            tr {
                                td.num { (s) @if historical == Some(*s) { br; small { "recorded end state" } } }
                                td { (state_in_words(c, *s)) }
                                @for k in &concepts {
                                    td { @if c.equilibria[*k].contains(*s) { "✓" } }
                                }
                            }
                        }
                    }
                }
            }
            @if states.len() > shown {
                p.note { (states.len() - shown) " more states are stable under fewer concepts (" code { "negotium conflict" } " lists them)." }
            }
            (conflict_detail(c))
        }
    }
}

// ---------- voting ----------

/// Horizontal bars of one index per member, veto holders in a second
/// colour, the members beyond [`MEMBERS_SHOWN`] summed into one bar.
fn power_chart(inst: &InstitutionPower, key: &str) -> Option<Markup> {
    let idx = inst.indices.get(key)?;
    let mut rows: Vec<(String, f64, bool)> = idx
        .iter()
        .map(|(m, v)| (m.clone(), *v, inst.vetoes.contains(m)))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if rows.len() > MEMBERS_SHOWN {
        let rest: Vec<(String, f64, bool)> = rows.split_off(MEMBERS_SHOWN - 1);
        let sum: f64 = rest.iter().map(|x| x.1).sum();
        rows.push((format!("{} other members", rest.len()), sum, false));
    }
    const W: f64 = 640.0;
    const LEFT: f64 = 170.0;
    const RIGHT: f64 = 70.0;
    const ROW: f64 = 20.0;
    let plot_h = ROW * rows.len() as f64;
    let h = plot_h + 80.0;
    let max = rows.iter().map(|x| x.1).fold(0.0, f64::max).max(1e-9);
    let top = ticks(0.0, max).last().copied().unwrap_or(max).max(max);
    let x = |v: f64| LEFT + v / top * (W - LEFT - RIGHT);
    let label = index_label(key);
    Some(html! {
        svg.chart.power-bars viewBox={ "0 0 " (W) " " (h) } width=(W) height=(h) role="img"
            aria-label={ (label) " power in " (inst.name) } {
            // Legend.
            rect x=(LEFT) y="4" width="12" height="12" fill="#D55E00" {}
            text x=(LEFT + 18.0) y="14" font-size="12" { "veto holder" }
            rect x=(LEFT + 110.0) y="4" width="12" height="12" fill="#0072B2" {}
            text x=(LEFT + 128.0) y="14" font-size="12" { "other member" }
            @for t in ticks(0.0, top) {
                line x1=(x(t)) x2=(x(t)) y1="24" y2=(24.0 + plot_h) stroke="#e4e4e4" {}
                text x=(x(t)) y=(40.0 + plot_h) text-anchor="middle" font-size="12" { (num(t, 3)) }
            }
            @for (i, (m, v, veto)) in rows.iter().enumerate() {
                @let yy = 24.0 + ROW * i as f64;
                text x=(LEFT - 8.0) y=(yy + 14.0) text-anchor="end" font-size="12" { (m) }
                rect x=(LEFT) y=(yy + 3.0) width=((x(*v) - LEFT).max(0.5)) height=(ROW - 6.0)
                    fill=(if *veto { "#D55E00" } else { "#0072B2" }) {}
                text x=(x(*v) + 4.0) y=(yy + 14.0) font-size="11" { (num(*v, 4)) }
            }
            line x1=(LEFT) x2=(LEFT) y1="24" y2=(24.0 + plot_h) stroke="#000" {}
            text x=(W / 2.0) y=(62.0 + plot_h) text-anchor="middle" font-size="12" {
                (label) " power (share of the body's power, 0–1; all members sum to 1)"
            }
        }
    })
}

fn proposal_row(p: &ProposalVote) -> Markup {
    let v = &p.vote;
    html! {
        tr {
            td { (p.date) }
            td { (v.issue) " = " (num(v.proposal, 2)) @if let Some(l) = &v.proposal_label { br; small { (l) } } }
            td { (v.name) }
            td {
                @if v.passes { "passes" }
                @else if !v.vetoed_by.is_empty() { "fails — " (abbr("veto", "vetoed")) " by " (v.vetoed_by.join(", ")) }
                @else { "fails — short of the majority" }
            }
            td.num { (v.yes) "–" (v.no) "–" (v.abstain) }
        }
    }
}

/// Voting power per institution and the proposals put to the bodies, with
/// (folded) every member's indices.
pub fn power_section(r: &AnalyzeResult) -> Markup {
    let Some(p) = &r.power else { return html! {} };
    html! {
        section #voting {
            h2 { "Institutions and voting power" }
            @for inst in &p.institutions {
                h3 { (inst.name) }
                p {
                    "A decision needs " (inst.rule) ". "
                    (abbr("power_to_act", "Power to act")) ": " (num(inst.power_to_act, 4))
                    " (the share of all coalitions that win)."
                }
                @let key = if inst.indices.contains_key("shapley_shubik") { "shapley_shubik" } else { "banzhaf" };
                @if let Some(chart) = power_chart(inst, key) {
                    figure {
                        div.scroll { (chart) }
                        figcaption { (abbr(key, index_label(key))) " power of each member of the " (inst.name) "." }
                    }
                }
            }
            @if let Some(ps) = &r.proposals {
                h3 { "Proposals put to the voting bodies" }
                p.note { "Each member votes by its recorded stance against the status quo. Ballots: yes–no–abstain." }
                @for (title, list) in [
                    (match (&ps.from, &ps.as_of) { (Some(f), Some(d)) => format!("Known then ({f} to {d})"), _ => "On record".to_string() }, &ps.known),
                    (format!("What followed (after {})", ps.as_of.as_deref().unwrap_or("as_of")), &ps.followed),
                ] {
                    @if !list.is_empty() {
                        h3 { (title) }
                        div.scroll {
                            table {
                                thead { tr { th { "date" } th { "proposal" } th { "body" } th { "result" } th { "ballots" } } }
                                tbody { @for pv in list { (proposal_row(pv)) } }
                            }
                        }
                    }
                }
            }
            (power_detail(p))
        }
    }
}

// ---------- negotiation ----------

/// The Pareto frontier of two parties with their reservation values as
/// dashed lines labelled in place, over 0–1 utility axes.
fn pareto_chart(r: &AnalyzeResult) -> Option<Markup> {
    let p = r.pareto.as_ref()?;
    let [a, b] = p.parties.as_slice() else {
        return None;
    };
    const S: f64 = 440.0;
    const M: f64 = 56.0;
    let x = |u: f64| M + u * (S - M - 16.0);
    let y = |u: f64| S - M - u * (S - M - 16.0);
    let pts: Vec<(f64, f64)> = p
        .frontier
        .iter()
        .filter_map(|f| Some((*f.utilities.get(a)?, *f.utilities.get(b)?)))
        .collect();
    let ra = p.reservation.get(a).copied();
    let rb = p.reservation.get(b).copied();
    Some(html! {
        svg.chart.pareto viewBox={ "0 0 " (S) " " (S) } width=(S) height=(S) role="img"
            aria-label={ "Pareto frontier of " (a) " and " (b) } {
            @for t in ticks(0.0, 1.0) {
                line x1=(x(t)) x2=(x(t)) y1=(y(0.0)) y2=(y(1.0)) stroke="#eee" {}
                line x1=(x(0.0)) x2=(x(1.0)) y1=(y(t)) y2=(y(t)) stroke="#eee" {}
                text x=(x(t)) y=(y(0.0) + 16.0) text-anchor="middle" font-size="12" { (num(t, 2)) }
                text x=(x(0.0) - 6.0) y=(y(t) + 4.0) text-anchor="end" font-size="12" { (num(t, 2)) }
            }
            line x1=(x(0.0)) x2=(x(1.0)) y1=(y(0.0)) y2=(y(0.0)) stroke="#000" {}
            line x1=(x(0.0)) x2=(x(0.0)) y1=(y(0.0)) y2=(y(1.0)) stroke="#000" {}
            text x=((x(0.0) + x(1.0)) / 2.0) y=(S - 12.0) text-anchor="middle" font-size="12" { (a) " utility (0 = its worst outcome, 1 = its best)" }
            text transform={ "translate(14," ((y(0.0) + y(1.0)) / 2.0) ") rotate(-90)" } text-anchor="middle" font-size="12" { (b) " utility (0–1)" }
            @if let (Some(ra), Some(rb)) = (ra, rb) {
                rect x=(x(ra)) y=(y(1.0)) width=((x(1.0) - x(ra)).max(0.0)) height=((y(rb) - y(1.0)).max(0.0)) fill="#009E73" fill-opacity="0.08" {}
                text x=(x(1.0) - 4.0) y=(y(1.0) + 14.0) text-anchor="end" font-size="11" {
                    "zone of agreement" @if p.analysis.zopa_outcomes == Some(0) { " (no outcome in it)" }
                }
            }
            @if let Some(ra) = ra {
                line x1=(x(ra)) x2=(x(ra)) y1=(y(0.0)) y2=(y(1.0)) stroke="#D55E00" stroke-dasharray="5 3" {}
                text x=(x(ra) - 4.0) y=(y(0.5)) text-anchor="end" font-size="11" fill="#D55E00" { (a) " reservation " (num(ra, 3)) }
            }
            @if let Some(rb) = rb {
                line x1=(x(0.0)) x2=(x(1.0)) y1=(y(rb)) y2=(y(rb)) stroke="#D55E00" stroke-dasharray="5 3" {}
                text x=(x(0.02)) y=(y(rb) - 4.0) font-size="11" fill="#D55E00" { (b) " reservation " (num(rb, 3)) }
            }
            g.series data-name="Pareto frontier" {
                @for (u, v) in &pts { circle cx=(x(*u)) cy=(y(*v)) r="2.5" fill="#0072B2" {} }
            }
            @if let Some(&(u, v)) = pts.iter().max_by(|p, q| p.1.total_cmp(&q.1)) {
                text x=(x(u) + 6.0) y=(y(v) + 4.0) font-size="11" fill="#0072B2" { "Pareto frontier (" (pts.len()) " outcomes)" }
            }
        }
    })
}

/// The negotiation protocols: the Pareto chart, the issue-by-issue table,
/// and (folded) every run's whole-package result and offer trace.
pub fn negotiation_section(r: &AnalyzeResult) -> Markup {
    let Some(n) = &r.negotiate else {
        return html! {};
    };
    let Some(first) = n.runs.first() else {
        return html! {};
    };
    html! {
        section #negotiation {
            h2 { "Negotiation protocols" }
            p {
                "Parties " (first.parties.join(", ")) "; " (first.issue_names.len()) " issues. "
                (abbr("reservation", "Reservation values")) " (" (abbr("utility", "utility")) ", 0–1): "
                @for (k, p) in first.parties.iter().enumerate() {
                    @if k > 0 { ", " }
                    (p) " " (first.reservation.get(p).map_or("—".to_string(), |v| num(*v, 3)))
                }
                "."
            }
            @if let Some(chart) = pareto_chart(r) {
                figure {
                    div.scroll { (chart) }
                    figcaption { "Whole packages: the " (abbr("pareto", "Pareto frontier")) " and each party's reservation value; an agreement both accept lies in the shaded " (abbr("zopa", "zone of agreement")) "." }
                }
            }
            h3 { "Issue by issue (each issue negotiated alone)" }
            div.scroll {
                table {
                    thead {
                        tr {
                            th { "issue" }
                            @for run in &n.runs {
                                th { (abbr(&run.protocol.replace(' ', "-"), &run.protocol)) br; small { (run.strategies.values().cloned().collect::<Vec<_>>().join("/")) } }
                            }
                        }
                    }
                    tbody {
                        @for issue in &first.issue_names {
                            tr {
                                td { (issue) }
                                @for run in &n.runs {
                                    td {
                                        @match run.issue_by_issue.as_ref().and_then(|v| v.iter().find(|x| &x.issue == issue)).and_then(|x| x.agreement.as_ref()) {
                                            Some(v) => { (value_label(r, issue, v)) },
                                            None => span.note { "no agreement" },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p.note {
                "Whole package: "
                @for (k, run) in n.runs.iter().enumerate() {
                    @if k > 0 { "; " }
                    (run.protocol) " (" (run.strategies.values().cloned().collect::<Vec<_>>().join("/")) ") "
                    @if run.agreement.is_some() { "agrees at step " (run.step) } @else { "no agreement" }
                }
                "."
            }
            (negotiation_detail(r))
        }
    }
}

// ---------- history ----------

/// Events per year, a bar per year over the last decades of the record and
/// one bar for everything earlier (a broken axis, so that a long prelude
/// does not squeeze the recent years), known and followed in two colours,
/// `as_of` marked.
fn history_chart(r: &AnalyzeResult) -> Option<Markup> {
    let h = r.history.as_ref()?;
    let years: Vec<i32> = h
        .events
        .iter()
        .map(|e| date_key(&e.date).0)
        .filter(|y| *y > i32::MIN)
        .collect();
    let (&first, &last) = (years.iter().min()?, years.iter().max()?);
    let cut = if last - first > 30 { last - 24 } else { first };
    let as_of = r.as_of.as_deref().map(date_key);
    let known = |d: &str| as_of.is_none_or(|a| date_key(d) <= a);
    // (label, known, followed)
    let mut bins: Vec<(String, usize, usize)> = Vec::new();
    if cut > first {
        bins.push((format!("{first}–{}", cut - 1), 0, 0));
    }
    for y in cut..=last {
        bins.push((y.to_string(), 0, 0));
    }
    for e in &h.events {
        let y = date_key(&e.date).0;
        if y == i32::MIN {
            continue;
        }
        let i = if y < cut {
            0
        } else {
            (y - cut) as usize + usize::from(cut > first)
        };
        if known(&e.date) {
            bins[i].1 += 1;
        } else {
            bins[i].2 += 1;
        }
    }
    const W: f64 = 640.0;
    const LEFT: f64 = 50.0;
    const PLOT_H: f64 = 180.0;
    let first_w = if cut > first { 70.0 } else { 0.0 };
    let n_years = (last - cut + 1) as f64;
    let bw = (W - LEFT - 20.0 - first_w) / n_years;
    let max = bins.iter().map(|b| b.1 + b.2).max().unwrap_or(1).max(1) as f64;
    let top = ticks(0.0, max).last().copied().unwrap_or(max).max(max);
    let y = |v: f64| 30.0 + PLOT_H - v / top * PLOT_H;
    let bx = |i: usize| {
        if cut > first && i == 0 {
            LEFT
        } else {
            LEFT + first_w + bw * (i - usize::from(cut > first)) as f64
        }
    };
    let width = |i: usize| {
        if cut > first && i == 0 {
            first_w - 10.0
        } else {
            (bw - 2.0).max(1.0)
        }
    };
    Some(html! {
        svg.chart.timeline viewBox={ "0 0 " (W) " " (PLOT_H + 90.0) } width=(W) height=(PLOT_H + 90.0) role="img"
            aria-label="Dated events per year" {
            rect x=(LEFT) y="4" width="12" height="12" fill="#0072B2" {}
            text x=(LEFT + 18.0) y="14" font-size="12" { "known by the as-of date" }
            rect x=(LEFT + 190.0) y="4" width="12" height="12" fill="#BBBBBB" {}
            text x=(LEFT + 208.0) y="14" font-size="12" { "followed (read by no model)" }
            @for t in ticks(0.0, top) {
                line x1=(LEFT) x2=(W - 20.0) y1=(y(t)) y2=(y(t)) stroke="#eee" {}
                text x=(LEFT - 6.0) y=(y(t) + 4.0) text-anchor="end" font-size="12" { (num(t, 0)) }
            }
            @for (i, (label, k, f)) in bins.iter().enumerate() {
                rect x=(bx(i)) y=(y(*k as f64)) width=(width(i)) height=(y(0.0) - y(*k as f64)) fill="#0072B2" { title { (label) ": " (k) " known" } }
                rect x=(bx(i)) y=(y((*k + *f) as f64)) width=(width(i)) height=(y(*k as f64) - y((*k + *f) as f64)) fill="#BBBBBB" { title { (label) ": " (f) " followed" } }
                @let show = (cut > first && i == 0) || label.parse::<i32>().is_ok_and(|yr| (last - yr) % 5 == 0 && (yr > cut || cut == first));
                @if show {
                    text x=(bx(i) + width(i) / 2.0) y=(y(0.0) + 16.0) text-anchor="middle" font-size="11" { (label) }
                }
            }
            @if cut > first {
                text x=(LEFT + first_w - 5.0) y=(y(0.0) + 4.0) text-anchor="middle" font-size="12" { "//" }
            }
            @if let Some((ay, am, _)) = as_of {
                @let xa = LEFT + first_w + bw * ((ay - cut) as f64 + (am.max(1) as f64 - 1.0) / 12.0);
                line x1=(xa) x2=(xa) y1="24" y2=(y(0.0)) stroke="#000" stroke-dasharray="4 3" {}
                text x=(xa + 4.0) y="36" font-size="11" { "as of " (r.as_of.as_deref().unwrap_or("")) }
            }
            line x1=(LEFT) x2=(W - 20.0) y1=(y(0.0)) y2=(y(0.0)) stroke="#000" {}
            text x=((LEFT + W) / 2.0) y=(PLOT_H + 80.0) text-anchor="middle" font-size="12" {
                "year (the first bar gathers " (first) "–" (cut - 1) ")"
            }
            text transform={ "translate(14," (30.0 + PLOT_H / 2.0) ") rotate(-90)" } text-anchor="middle" font-size="12" { "events per year" }
        }
    })
}

/// The history: events per year, the last known and first following
/// events, and (folded) the timeline by kind with every event.
pub fn history_section(r: &AnalyzeResult) -> Markup {
    let Some(h) = &r.history else {
        return html! {};
    };
    let as_of = r.as_of.as_deref().map(date_key);
    let (known, followed): (Vec<_>, Vec<_>) = h
        .events
        .iter()
        .partition(|e| as_of.is_none_or(|a| date_key(&e.date) <= a));
    html! {
        section #history {
            h2 { "History" }
            @if let Some(chart) = history_chart(r) {
                figure {
                    div.scroll { (chart) }
                    figcaption { (h.events.len()) " dated events: " (known.len()) " known by the as-of date, " (followed.len()) " after it." }
                }
            }
            @for (title, list) in [("Last events known then", known.iter().rev().take(6).rev().collect::<Vec<_>>()), ("First events that followed", followed.iter().take(6).collect())] {
                @if !list.is_empty() {
                    h3 { (title) }
                    div.scroll {
                        table {
                            thead { tr { th { "date" } th { "kind" } th { "event" } } }
                            tbody { @for e in list { tr { td { (e.date) } td { (e.kind.as_str()) } td { (e.title) } } } }
                        }
                    }
                }
            }
            (events_detail(&h.events, r.as_of.as_deref(), false))
        }
    }
}

// ---------- detail (folded below each section) ----------

/// Each dynamic model's rounds, issue by issue.
fn forecast_detail(issues: &[IssueForecast]) -> Markup {
    let charts: Vec<(&IssueForecast, &negotium_scenario::spatial::ModelForecast)> = issues
        .iter()
        .flat_map(|is| {
            is.models
                .iter()
                .filter(|m| m.rounds.len() > 1)
                .map(move |m| (is, m))
        })
        .collect();
    if charts.is_empty() {
        return html! {};
    }
    html! {
        details.detail {
            summary { "Round by round: how the dynamic models move the actors (" (charts.len()) " charts)" }
            p.note {
                "Each actor's position after each round. The " (MAX_COLOURED)
                " actors that move most are in colour and named at their line's end; the others are grey; the dashed black line is the model's median (its forecast)."
            }
            @for (is, m) in &charts {
                figure {
                    h4 { (is.name) " — " (abbr(&m.model, &m.model)) }
                    div.scroll { (read::trajectory(is, m)) }
                    figcaption {
                        (m.rounds.len() - 1) " rounds; "
                        @if m.converged { "converged" } @else { "stopped without converging" }
                        " at " (num(m.forecast, 2)) "."
                    }
                }
            }
        }
    }
}

/// The concepts the result holds, in GMCR order, and the states stable
/// under at least one of them with how many, most concepts first (ties by
/// state number).
fn stable_states(c: &ConflictResult) -> (Vec<&'static str>, Vec<(usize, usize)>) {
    let concepts: Vec<&'static str> = CONCEPTS
        .iter()
        .copied()
        .filter(|k| c.equilibria.contains_key(*k))
        .collect();
    let mut states: Vec<(usize, usize)> = c
        .states
        .iter()
        .map(|s| {
            let n = concepts
                .iter()
                .filter(|k| c.equilibria[**k].contains(s.number))
                .count();
            (s.number, n)
        })
        .filter(|x| x.1 > 0)
        .collect();
    states.sort_by_key(|x| (std::cmp::Reverse(x.1), x.0));
    (concepts, states)
}

/// The option form of the stable states (columns in robustness order, rows
/// grouped by decision maker, then a row per concept) and the moves from
/// the status quo.
fn conflict_detail(c: &ConflictResult) -> Markup {
    const MAX_COLUMNS: usize = 40;
    let (concepts, states) = stable_states(c);
    let shown: Vec<usize> = states.iter().take(MAX_COLUMNS).map(|x| x.0).collect();
    let patterns: Vec<(usize, Vec<char>)> = shown
        .iter()
        .map(|s| {
            (
                *s,
                c.states
                    .get(*s)
                    .map(|st| st.pattern.chars().collect())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let historical = c.historical.as_ref().map(|h| h.state);
    let graph = read::moves_graph(c);
    html! {
        details.detail {
            summary { "Option form of every stable state, and the moves from the status quo" }
            @if !shown.is_empty() {
                h3 { "Option form" }
                p.note {
                    "A column per state stable under at least one concept, most robust first"
                    @if states.len() > shown.len() { " (the first " (shown.len()) " of " (states.len()) ")" }
                    "; Y = the option is taken. Below, the concepts under which each state is stable."
                }
                div.scroll {
                    table.option-form {
                        thead { tr {
                            th { "option" }
                            @for s in &shown { th { (s) @if historical == Some(*s) { "*" } } }
                        } }
                        tbody {
                            @for dm in &c.dms {
                                tr { th.dm colspan=(shown.len() + 1) { (dm.name) } }
                                @for o in &dm.options {
                                    @if let Some(opt) = c.options.iter().find(|x| x.number == *o) {
                                        tr {
                                            td { (opt.name) }
                                            @for (_, p) in &patterns {
                                                @match p.get(o.saturating_sub(1)) {
                                                    Some('Y') => td.Y { "Y" },
                                                    Some(_) => td.N { "–" },
                                                    None => td {},
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            tr { th.dm colspan=(shown.len() + 1) { "stable under" } }
                            @for k in &concepts {
                                tr {
                                    td { (abbr(concept_key(k), concept_label(k))) }
                                    @for s in &shown {
                                        @if c.equilibria[*k].contains(*s) { td.eq { "✓" } } @else { td {} }
                                    }
                                }
                            }
                        }
                    }
                }
                @if historical.is_some_and(|h| shown.contains(&h)) { p.note { "* the recorded end state." } }
            }
            @if let (Some((chart, order)), Some(sq)) = (graph, &c.status_quo) {
                h3 { "Moves from the status quo" }
                p.note {
                    "From state " (sq.start) " (" (sq.description) "): every unilateral move "
                    @if sq.improvements_only { "that improves the mover's position " }
                    "on the way to the states it reaches."
                }
                figure {
                    div.scroll { (chart) }
                    figcaption { "Columns: the number of moves from the status quo. Hover a state for its options; the table names them." }
                }
                div.scroll {
                    table {
                        thead { tr { th { "state" } th { "options taken" } } }
                        tbody { @for s in &order { tr { td.num { (s) } td { (state_in_words(c, *s)) } } } }
                    }
                }
            }
        }
    }
}

/// An institution's members, most powerful first under its first index.
fn members_by_power(inst: &InstitutionPower) -> Vec<&String> {
    let first = inst.indices.values().next();
    let v = |m: &String| first.and_then(|i| i.get(m)).copied().unwrap_or(0.0);
    let mut members: Vec<&String> = inst.members.iter().collect();
    members.sort_by(|a, b| v(b).total_cmp(&v(a)).then(a.cmp(b)));
    members
}

/// Every member's power under every index computed.
fn power_detail(p: &negotium_analysis::power::PowerResult) -> Markup {
    html! {
        details.detail {
            summary { "Every member's power under every index" }
            @for inst in &p.institutions {
                @let keys: Vec<&String> = inst.indices.keys().collect();
                @let members = members_by_power(inst);
                h4 { (inst.name) }
                div.scroll {
                    table {
                        thead { tr { th { "member" } @for k in &keys { th { (abbr(k, index_label(k))) } } } }
                        tbody {
                            @for m in &members {
                                tr {
                                    td { (m) @if inst.vetoes.contains(m) { " " small { "(veto)" } } }
                                    @for k in &keys {
                                        td.num { (inst.indices.get(*k).and_then(|i| i.get(*m)).map_or("—".to_string(), |v| num(*v, 4))) }
                                    }
                                }
                            }
                        }
                    }
                }
                @for n in &inst.notes { p.note { (n) } }
            }
        }
    }
}

/// Every run's whole-package result, and the offers of each run that kept
/// its trace.
fn negotiation_detail(r: &AnalyzeResult) -> Markup {
    let Some(n) = &r.negotiate else {
        return html! {};
    };
    let Some(first) = n.runs.first() else {
        return html! {};
    };
    let traced: Vec<&NegotiateResult> = n.runs.iter().filter(|x| x.trace.is_some()).collect();
    html! {
        details.detail {
            summary { "Every run's whole package" @if !traced.is_empty() { " and the offers made" } }
            div.scroll {
                table {
                    thead { tr {
                        th { "protocol" } th { "strategies" } th { "end" } th { "step" } th { "offers" }
                        @for p in &first.parties { th { (p) " utility (0–1)" } }
                        th { "agreement" }
                    } }
                    tbody {
                        @for run in &n.runs {
                            tr {
                                td { (run.protocol) }
                                td { (run.strategies.iter().map(|(p, s)| format!("{p}: {s}")).collect::<Vec<_>>().join(", ")) }
                                td { (run.end) }
                                td.num { (run.step) }
                                td.num { (run.offers) }
                                @for p in &first.parties { td.num { (run.utilities.get(p).map_or("—".to_string(), |v| num(*v, 3))) } }
                                td {
                                    @match &run.agreement {
                                        Some(a) => { @for (k, (i, v)) in a.iter().enumerate() { @if k > 0 { "; " } (i) ": " (value_label(r, i, v)) } },
                                        None => span.note { "none" },
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @for run in &traced {
                @if let Some(chart) = read::trace(run) {
                    figure {
                        h4 { (run.protocol) " — " (run.strategies.values().cloned().collect::<Vec<_>>().join("/")) }
                        div.scroll { (chart) }
                        figcaption {
                            "Every offer of the run in the two parties' utilities, joined in the order each party made them: each concedes from its own corner. "
                            @if run.agreement.is_some() { "The diamond marks the agreement." } @else { "No agreement was reached." }
                        }
                    }
                }
            }
        }
    }
}

/// The Pareto chart alone (a stored `pareto` run in the workbench).
pub fn pareto_section(r: &AnalyzeResult) -> Markup {
    html! {
        section #pareto {
            h2 { "Pareto frontier" }
            @match pareto_chart(r) {
                Some(chart) => figure {
                    div.scroll { (chart) }
                    figcaption { "Whole packages: the " (abbr("pareto", "Pareto frontier")) " and each party's reservation value; an agreement both accept lies in the shaded " (abbr("zopa", "zone of agreement")) "." }
                },
                None => p.na { "Not available: the chart needs exactly two parties." },
            }
        }
    }
}

/// The dated events on a timeline by kind and in a table; folded unless
/// `open`.
pub fn events_detail(events: &[Event], as_of: Option<&str>, open: bool) -> Markup {
    let inner = html! {
        @if let Some(chart) = read::timeline(events, as_of) {
            figure {
                div.scroll { (chart) }
                figcaption { "Each dot is an event on its kind's lane (hover for its title); the table below lists them all." }
            }
        }
        div.scroll {
            table.events {
                thead { tr { th { "date" } th { "kind" } th { "event" } } }
                tbody { @for e in events { tr { td { (e.date) @if let Some(end) = &e.end { "–" (end) } } td { (e.kind.as_str()) } td { (e.title) } } } }
            }
        }
    };
    if open {
        inner
    } else {
        html! {
            details.detail {
                summary { "Every event (" (events.len()) "), on a timeline by kind" }
                (inner)
            }
        }
    }
}
