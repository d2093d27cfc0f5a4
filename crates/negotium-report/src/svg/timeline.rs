//! Timeline: one row per dated item on a common year axis, periods drawn as
//! bars, each labelled in full to the right of its mark.

use std::fmt::Write;

use super::{c, colour, esc, open_svg, ticks};

/// One dated item; dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone)]
pub struct TimelineItem {
    pub date: String,
    pub end: Option<String>,
    pub label: String,
    /// Category (colours the mark; listed in the legend).
    pub kind: String,
}

/// A vertical list of items on a horizontal time axis.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub title: String,
    pub items: Vec<TimelineItem>,
}

/// Fractional year of a `YYYY[-MM[-DD]]` date (None if unparsable).
pub fn year_of(date: &str) -> Option<f64> {
    let mut it = date.trim().split('-');
    let y: f64 = it.next()?.parse().ok()?;
    let m: f64 = it.next().map(|m| m.parse().ok()).unwrap_or(Some(1.0))?;
    let d: f64 = it.next().map(|d| d.parse().ok()).unwrap_or(Some(1.0))?;
    if !(1.0..=12.0).contains(&m) || !(1.0..=31.0).contains(&d) {
        return None;
    }
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.0)
}

impl Timeline {
    pub fn render(&self) -> String {
        let mut items: Vec<(f64, Option<f64>, &TimelineItem)> = self
            .items
            .iter()
            .filter_map(|i| year_of(&i.date).map(|y| (y, i.end.as_deref().and_then(year_of), i)))
            .collect();
        items.sort_by(|a, b| a.0.total_cmp(&b.0));
        if items.is_empty() {
            return super::empty("timeline", &self.title, "no dated events");
        }
        let lo = items
            .iter()
            .map(|i| i.0)
            .fold(f64::INFINITY, f64::min)
            .floor();
        let hi = items
            .iter()
            .map(|i| i.1.unwrap_or(i.0).max(i.0))
            .fold(f64::NEG_INFINITY, f64::max)
            .floor()
            + 1.0;
        let mut kinds: Vec<&str> = items.iter().map(|i| i.2.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let (left, axis_w, top, row_h, w) = (12.0, 300.0, 30.0, 18.0, 900.0);
        let legend_h = 18.0 * kinds.len().div_ceil(4) as f64 + 8.0;
        let h = top + row_h * items.len() as f64 + 10.0 + legend_h;
        let px = |y: f64| left + (y - lo) / (hi - lo) * axis_w;
        let mut s = open_svg(w, h, "timeline", &self.title);
        s.push_str("<g class=\"axes\">");
        for t in ticks(lo, hi, 7).into_iter().filter(|t| t.fract() == 0.0) {
            let x = px(t);
            let _ = write!(
                s,
                "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(x), c(top - 6.0), c(x), c(top + row_h * items.len() as f64), c(x), c(top - 10.0), t as i64
            );
        }
        s.push_str("</g>");
        for (i, (y, end, it)) in items.iter().enumerate() {
            let k = kinds.iter().position(|k| *k == it.kind).unwrap_or(0);
            let col = colour(k);
            let yy = top + row_h * (i as f64 + 0.5);
            let x = px(*y);
            let when = match &it.end {
                Some(e) => format!("{}…{}", it.date, e),
                None => it.date.clone(),
            };
            let _ = write!(
                s,
                "<g class=\"event\" data-kind=\"{}\"><title>{} ({}): {}</title>",
                esc(&it.kind),
                esc(&when),
                esc(&it.kind),
                esc(&it.label)
            );
            match end {
                Some(e) if *e > *y => {
                    let _ = write!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" rx=\"3\" fill=\"{col}\"/>",
                        c(x),
                        c(yy - 4.0),
                        c((px(*e) - x).max(3.0))
                    );
                }
                _ => {
                    let _ = write!(
                        s,
                        "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{col}\"/>",
                        c(x),
                        c(yy)
                    );
                }
            }
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\"><tspan font-weight=\"bold\">{}</tspan> {}</text></g>",
                c(left + axis_w + 14.0),
                c(yy + 4.0),
                esc(&when),
                esc(&it.label)
            );
        }
        let ly = top + row_h * items.len() as f64 + 18.0;
        s.push_str("<g class=\"legend\">");
        for (k, name) in kinds.iter().enumerate() {
            let x = left + (k % 4) as f64 * 200.0;
            let y = ly + (k / 4) as f64 * 18.0;
            let _ = write!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
                c(x + 5.0), c(y), colour(k), c(x + 14.0), c(y + 4.0), esc(name)
            );
        }
        s.push_str("</g></svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_partial_dates() {
        assert_eq!(year_of("2008"), Some(2008.0));
        assert!(
            (year_of("2008-02-17").unwrap() - (2008.0 + 1.0 / 12.0 + 16.0 / 365.0)).abs() < 1e-12
        );
        assert_eq!(year_of("2008-13"), None);
        assert_eq!(year_of("soon"), None);
    }

    #[test]
    fn one_mark_per_dated_item() {
        let t = Timeline {
            title: "h".into(),
            items: vec![
                TimelineItem {
                    date: "2006-02".into(),
                    end: Some("2007-03".into()),
                    label: "talks".into(),
                    kind: "talks-round".into(),
                },
                TimelineItem {
                    date: "2008-02-17".into(),
                    end: None,
                    label: "<b>declaration</b>".into(),
                    kind: "declaration".into(),
                },
                TimelineItem {
                    date: "?".into(),
                    end: None,
                    label: "undated".into(),
                    kind: "other".into(),
                },
            ],
        };
        let s = t.render();
        assert_eq!(s.matches("class=\"event\"").count(), 2);
        assert!(s.contains("&lt;b&gt;declaration"));
    }
}
