//! The advise lens as text: per issue, one table of the best own move and
//! the best persuasion target per model, then the plain sentences.

use std::fmt::Write as _;

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
