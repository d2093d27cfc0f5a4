//! The advise lens as text: per issue, one table of the best own move and
//! the best persuasion target per model, then the plain sentences; then the
//! conflict (GMCR) advice: commitments and coalitions, one row each.

use std::fmt::Write as _;

use maud::{html, Markup};

use negotium_analysis::advise::{AdviseParams, AdviseResult};
use negotium_analysis::advise_conflict::{ConflictAdvice, Effect, RankedState};

use crate::{num, Align, Table};

/// The whole text report of `negotium advise`.
pub fn render(r: &AdviseResult, _params: &AdviseParams) -> String {
    let mut out = format!("Advice for {} ({}) in {}\n", r.name, r.actor, r.scenario);
    for is in &r.issues {
        let _ = writeln!(
            out,
            "\n{} [{}]: ideal {}, salience {}; positions {}..{}, salience {}..{} searched ({})",
            is.name,
            is.issue,
            num(is.ideal, 2),
            num(is.salience, 2),
            num(is.position_range[0], 2),
            num(is.position_range[1], 2),
            num(is.salience_range[0], 2),
            num(is.salience_range[1], 2),
            is.searched
        );
        let mut t = Table::new([
            "model",
            "forecast",
            "advocate",
            "salience",
            "→ forecast",
            "gain",
            "persuade",
            "gain",
        ])
        .align(&[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Right,
        ]);
        for m in &is.models {
            let (a, s, f, g) = match &m.best {
                Some(b) => (
                    num(b.position, 2),
                    num(b.salience, 2),
                    num(b.forecast, 2),
                    num(b.gain, 2),
                ),
                None => ("—".into(), "—".into(), "—".into(), "0".into()),
            };
            let (pa, pg) = m.persuade.first().map_or(("—".into(), "0".into()), |t| {
                (t.actor.clone(), num(t.gain, 2))
            });
            t.row([m.model.clone(), num(m.forecast, 2), a, s, f, g, pa, pg]);
        }
        out.push_str(&t.render(2));
        for m in &is.models {
            for a in &m.advice {
                let _ = writeln!(out, "  · {a}");
            }
        }
    }
    if let Some(c) = &r.conflict {
        conflict(&mut out, c);
    }
    out.push('\n');
    for n in &r.notes {
        let _ = writeln!(out, "{n}");
    }
    out
}

fn effect_word(e: Effect) -> &'static str {
    match e {
        Effect::Better => "better",
        Effect::Worse => "worse",
        Effect::Different => "different",
        Effect::None => "no change",
    }
}

fn states(v: &[usize]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.iter().map(usize::to_string).collect::<Vec<_>>().join(" ")
    }
}

fn best(v: &[RankedState]) -> String {
    v.first()
        .map_or("none".into(), |x| format!("{} (rank {})", x.state, x.rank))
}

/// The GMCR part: the reachable equilibria, then one row per commitment and
/// per coalition, then the sentences.
fn conflict(out: &mut String, c: &ConflictAdvice) {
    let _ = writeln!(
        out,
        "\nConflict (GMCR, {}): {} as decision maker; status quo state {} ({}); {} preference ranks",
        c.concept.to_uppercase(),
        c.name,
        c.status_quo,
        c.status_quo_words,
        c.ranks
    );
    let mut t = Table::new([
        "change",
        "best reachable equilibrium",
        "gained",
        "lost",
        "for it",
    ])
    .align(&[
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
    ]);
    t.row([
        "as the model stands".to_string(),
        best(&c.reachable),
        "—".into(),
        "—".into(),
        "—".into(),
    ]);
    for o in &c.options {
        let c = &o.consequence;
        t.row([
            format!("{} `{}`", o.commitment, o.option),
            best(&c.reachable),
            states(&c.gained),
            states(&c.lost),
            effect_word(c.effect).into(),
        ]);
    }
    for k in &c.coalitions {
        let c = &k.consequence;
        let ids: Vec<&str> = k.members.iter().map(|m| m.id.as_str()).collect();
        t.row([
            format!("coalition with {}", ids.join(" + ")),
            best(&c.reachable),
            states(&c.gained),
            states(&c.lost),
            effect_word(c.effect).into(),
        ]);
    }
    out.push_str(&t.render(2));
    for a in &c.advice {
        let _ = writeln!(out, "  · {a}");
    }
    for n in &c.notes {
        let _ = writeln!(out, "  {n}");
    }
}

/// The advice as HTML (no `<section>`): per issue the recommendations as
/// sentences, then a small table of the best own move and the best
/// persuasion target per model.
pub fn section(r: &AdviseResult) -> Markup {
    html! {
        p.note { "Advice for " (r.name) " (" code { (r.actor) } ") in " (r.scenario) "; " (r.grid) " grid points per searched range." }
        @for is in &r.issues {
            h3 { (is.name) }
            p.note {
                "Ideal " (num(is.ideal, 2)) ", salience " (num(is.salience, 2)) "; positions "
                (num(is.position_range[0], 2)) "–" (num(is.position_range[1], 2)) " and saliences "
                (num(is.salience_range[0], 2)) "–" (num(is.salience_range[1], 2)) " searched (" (is.searched) ")."
            }
            ul.advice { @for m in &is.models { @for a in &m.advice { li { (a) } } } }
            div.scroll {
                table.advise {
                    thead { tr {
                        th { "model" } th { "forecast" } th { "advocate" } th { "salience" } th { "→ forecast" }
                        th { "gain" } th { "persuade" } th { "gain" }
                    } }
                    tbody {
                        @for m in &is.models {
                            tr {
                                td { (m.model) }
                                td.num { (num(m.forecast, 2)) }
                                @match &m.best {
                                    Some(b) => {
                                        td.num { (num(b.position, 2)) }
                                        td.num { (num(b.salience, 2)) }
                                        td.num { (num(b.forecast, 2)) }
                                        td.num { (num(b.gain, 2)) }
                                    },
                                    None => { td { "—" } td { "—" } td { "—" } td.num { "0" } },
                                }
                                @match m.persuade.first() {
                                    Some(t) => { td { (t.name) " (" (t.actor) ")" } td.num { (num(t.gain, 2)) } },
                                    None => { td { "—" } td.num { "0" } },
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(c) = &r.conflict { (conflict_section(c)) }
        @if !r.notes.is_empty() { ul.note { @for n in &r.notes { li { (n) } } } }
    }
}

/// The GMCR advice as HTML: the sentences, then one row per commitment and
/// coalition with the best reachable equilibrium, the states gained and
/// lost, and the effect for the DM.
fn conflict_section(c: &ConflictAdvice) -> Markup {
    let rows = c
        .options
        .iter()
        .map(|o| {
            (
                html! { (o.commitment) " " code { (o.option) } " (" (o.name) ")" },
                &o.consequence,
            )
        })
        .chain(c.coalitions.iter().map(|k| {
            (
                html! {
                    "coalition with "
                    @for (i, m) in k.members.iter().enumerate() {
                        @if i > 0 { @if i + 1 == k.members.len() { " and " } @else { ", " } }
                        (m.name) " (" code { (m.id) } ")"
                    }
                },
                &k.consequence,
            )
        }));
    html! {
        h3 { "Conflict (GMCR, " (c.concept.to_uppercase()) "): " (c.name) }
        p.note {
            "Status quo: state " (c.status_quo) " (" (c.status_quo_words) "); ranks are "
            (c.name) "'s preference tie groups, 1 = best of " (c.ranks) "."
        }
        ul.advice.conflict { @for a in &c.advice { li { (a) } } }
        div.scroll {
            table.advise-conflict {
                thead { tr {
                    th { "change" } th { "best reachable equilibrium" } th { "gained" }
                    th { "lost" } th { "for " (c.name) }
                } }
                tbody {
                    tr { td { "as the model stands" } td { (best(&c.reachable)) } td { "—" } td { "—" } td { "—" } }
                    @for (what, q) in rows {
                        tr {
                            td { (what) } td { (best(&q.reachable)) } td { (states(&q.gained)) }
                            td { (states(&q.lost)) } td { (effect_word(q.effect)) }
                        }
                    }
                }
            }
        }
        ul.note { @for n in &c.notes { li { (n) } } }
    }
}
