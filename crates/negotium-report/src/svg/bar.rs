//! Horizontal grouped bar chart (e.g. power indices per member) and a dot
//! plot of one value per row against a reference (model forecasts vs outcome).

use std::fmt::Write;

use super::{c, colour, esc, legend, open_svg, ticks, INK};

/// Grouped horizontal bars: one group per category, one bar per series.
#[derive(Debug, Clone, Default)]
pub struct BarChart {
    pub title: String,
    pub value_label: String,
    pub categories: Vec<String>,
    /// (series name, one value per category).
    pub series: Vec<(String, Vec<f64>)>,
    /// Upper end of the value axis (default: the largest value).
    pub max: Option<f64>,
}

impl BarChart {
    pub fn render(&self) -> String {
        let n_s = self.series.len().max(1);
        let max = self.max.unwrap_or_else(|| {
            self.series
                .iter()
                .flat_map(|s| s.1.iter().copied())
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max)
        });
        if self.categories.is_empty() || self.series.is_empty() || max <= 0.0 {
            return super::empty("bar-chart", &self.title, "no data to plot");
        }
        let bar_h = 12.0;
        let group_h = bar_h * n_s as f64 + 8.0;
        let (left, right, top, bottom, w) = (150.0, 170.0, 12.0, 40.0, 720.0);
        let h = top + bottom + group_h * self.categories.len() as f64;
        let plot_w = w - left - right;
        let px = |v: f64| left + v.max(0.0) / max * plot_w;
        let mut s = open_svg(w, h, "bar-chart", &self.title);
        s.push_str(&value_axis(
            (0.0, max),
            px,
            (top, h - bottom),
            left + plot_w / 2.0,
            h - 6.0,
            &self.value_label,
        ));
        for (ci, cat) in self.categories.iter().enumerate() {
            let gy = top + ci as f64 * group_h;
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                c(left - 6.0),
                c(gy + group_h / 2.0),
                esc(cat)
            );
            for (si, (name, vals)) in self.series.iter().enumerate() {
                let v = vals.get(ci).copied().unwrap_or(f64::NAN);
                if !v.is_finite() {
                    continue;
                }
                let y = gy + 4.0 + si as f64 * bar_h;
                let _ = write!(
                    s,
                    "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} = {}</title></rect>",
                    c(left), c(y), c(px(v) - left), c(bar_h - 2.0), colour(si),
                    esc(cat), esc(name), esc(&crate::num(v, 4))
                );
            }
        }
        let _ = write!(
            s,
            "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            c(left),
            c(top),
            c(left),
            c(h - bottom)
        );
        let entries: Vec<_> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (n.clone(), colour(i).to_string(), String::new(), false))
            .collect();
        s.push_str(&legend(w - right + 16.0, top + 8.0, &entries));
        s.push_str("</svg>");
        s
    }
}

/// `s` cut to at most `max` characters, with an ellipsis when cut.
/// The horizontal value axis shared by bar charts and dot plots: a vertical
/// grid line and a tick label at each tick of `range`, and the axis label
/// centred at (`label_x`, `label_y`).
pub(crate) fn value_axis(
    range: (f64, f64),
    px: impl Fn(f64) -> f64,
    (y_top, y_bottom): (f64, f64),
    label_x: f64,
    label_y: f64,
    label: &str,
) -> String {
    let mut s = String::from("<g class=\"axes\">");
    for t in ticks(range.0, range.1, 5) {
        let x = px(t);
        let _ = write!(
            s,
            "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            c(x),
            c(y_top),
            c(x),
            c(y_bottom),
            c(x),
            c(y_bottom + 16.0),
            esc(&crate::num(t, 3))
        );
    }
    let _ = write!(
        s,
        "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>",
        c(label_x),
        c(label_y),
        esc(label)
    );
    s
}

pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// One row of a dot plot.
#[derive(Debug, Clone)]
pub struct DotRow {
    pub label: String,
    pub value: f64,
    /// Extra text after the dot (e.g. the nearest labelled point).
    pub note: Option<String>,
}

/// One dot per row on a common scale, with an optional reference line.
#[derive(Debug, Clone, Default)]
pub struct DotPlot {
    pub title: String,
    pub value_label: String,
    pub rows: Vec<DotRow>,
    pub range: (f64, f64),
    /// Labelled reference value (e.g. the recorded outcome).
    pub reference: Option<(f64, String)>,
}

impl DotPlot {
    pub fn render(&self) -> String {
        let (lo, hi) = self.range;
        if self.rows.is_empty() || hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
            return super::empty("dot-plot", &self.title, "no data to plot");
        }
        let (left, right, top, bottom, w, row_h) = (120.0, 40.0, 24.0, 40.0, 720.0, 26.0);
        let h = top + bottom + row_h * self.rows.len() as f64;
        let plot_w = w - left - right;
        let px = |v: f64| left + (v.clamp(lo, hi) - lo) / (hi - lo) * plot_w;
        let mut s = open_svg(w, h, "dot-plot", &self.title);
        s.push_str(&value_axis(
            (lo, hi),
            px,
            (top, h - bottom),
            left + plot_w / 2.0,
            h - 6.0,
            &self.value_label,
        ));
        if let Some((v, label)) = &self.reference {
            let x = px(*v);
            let _ = write!(
                s,
                "<g class=\"reference\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text></g>",
                c(x), c(top - 4.0), c(x), c(h - bottom), c(x), c(top - 8.0), esc(label)
            );
        }
        for (i, r) in self.rows.iter().enumerate() {
            let y = top + row_h * (i as f64 + 0.5);
            let x = px(r.value);
            let _ = write!(
                s,
                "<g class=\"dot\" data-name=\"{}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#eee\"/><circle cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{}\"><title>{} = {}{}</title></circle>",
                esc(&r.label), c(left - 8.0), c(y + 4.0), esc(&r.label),
                c(left), c(y), c(w - right), c(y),
                c(x), c(y), colour(i), esc(&r.label), esc(&crate::num(r.value, 3)),
                esc(&r.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default())
            );
            if let Some(n) = &r.note {
                let n = &shorten(n, 48);
                let anchor_right = x > left + plot_w * 0.6;
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#333\" text-anchor=\"{}\">{}</text>",
                    c(if anchor_right { x - 10.0 } else { x + 10.0 }),
                    c(y + 4.0),
                    if anchor_right { "end" } else { "start" },
                    esc(n)
                );
            }
            s.push_str("</g>");
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_per_value_skipping_missing() {
        let b = BarChart {
            title: "power".into(),
            categories: vec!["A".into(), "B".into()],
            series: vec![
                ("ss".into(), vec![0.5, 0.5]),
                ("bz".into(), vec![0.4, f64::NAN]),
            ],
            ..Default::default()
        };
        assert_eq!(b.render().matches("class=\"bar\"").count(), 3);
    }

    #[test]
    fn dot_plot_reference() {
        let d = DotPlot {
            title: "m".into(),
            rows: vec![DotRow {
                label: "median".into(),
                value: 60.0,
                note: None,
            }],
            range: (0.0, 100.0),
            reference: Some((75.0, "outcome".into())),
            ..Default::default()
        };
        let s = d.render();
        assert!(s.contains("class=\"reference\""));
        assert_eq!(s.matches("class=\"dot\"").count(), 1);
    }
}
