//! Text rendering of a scenario's dated history as a timeline.

use negotium_scenario::Event;

use crate::Table;

/// A timeline table: date, kind, title, and the tally of votes.
pub fn render(events: &[Event]) -> String {
    let mut evs: Vec<&Event> = events.iter().collect();
    evs.sort_by(|a, b| a.date.cmp(&b.date));
    let mut t = Table::new(["date", "kind", "event", "tally"]);
    for e in evs {
        let date = match &e.end {
            Some(end) => format!("{}…{}", e.date, end),
            None => e.date.clone(),
        };
        let tally = e
            .tally
            .map(|t| {
                let mut s = format!("{}–{}–{}", t.yes, t.no, t.abstain);
                if let Some(b) = &e.body {
                    s = format!("{b}: {s}");
                }
                s
            })
            .unwrap_or_default();
        t.row([date, e.kind.as_str().to_string(), e.title.clone(), tally]);
    }
    t.render(2)
}
