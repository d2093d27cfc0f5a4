//! The advise lens as text: per issue, one table of the best own move and
//! the best persuasion target per model, then the plain sentences.

use std::fmt::Write as _;

use maud::{html, Markup};

use negotium_analysis::advise::{AdviseParams, AdviseResult};

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
    out.push('\n');
    for n in &r.notes {
        let _ = writeln!(out, "{n}");
    }
    out
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
        @if !r.notes.is_empty() { ul.note { @for n in &r.notes { li { (n) } } } }
    }
}
