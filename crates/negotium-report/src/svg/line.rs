//! Line chart: several named series over a numeric x axis, with optional
//! emphasised series (e.g. the median) and labelled horizontal marks.

use std::fmt::Write;

use super::{c, colour, dash, esc, extent, legend, Frame, INK};

/// One named line.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    /// Drawn thick and black (e.g. the weighted median).
    pub emphasis: bool,
}

/// A line chart; build it, then [`LineChart::render`].
#[derive(Debug, Clone, Default)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Labelled horizontal reference lines (value, label).
    pub marks: Vec<(f64, String)>,
    /// Fixed y range (e.g. an issue's scale); otherwise the data's extent.
    pub y_range: Option<(f64, f64)>,
    /// Whether x is a count (only integer ticks).
    pub integer_x: bool,
}

impl LineChart {
    pub fn render(&self) -> String {
        let pts = || self.series.iter().flat_map(|s| s.points.iter());
        let (Some(xr), Some(yr)) = (
            extent(pts().map(|p| p.0)),
            self.y_range
                .or_else(|| extent(pts().map(|p| p.1).chain(self.marks.iter().map(|m| m.0)))),
        ) else {
            return super::empty("line-chart", &self.title, "no data to plot");
        };
        let legend_w = 170.0;
        let f = Frame {
            w: 720.0,
            h: 300.0_f64.max(60.0 + 16.0 * self.series.len() as f64),
            left: 56.0,
            right: legend_w + 12.0,
            top: 16.0,
            bottom: 40.0,
            x: xr,
            y: yr,
        };
        let mut s = f.open("line-chart", &self.title);
        s.push_str(&f.axes(&self.x_label, &self.y_label, self.integer_x));
        for (v, label) in &self.marks {
            let y = f.py(*v);
            let _ = write!(
                s,
                "<g class=\"mark\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"4 4\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{}</text></g>",
                c(f.left), c(y), c(f.w - f.right), c(y), c(f.w - f.right - 4.0), c(y - 4.0), esc(label)
            );
        }
        let mut entries = Vec::new();
        let mut k = 0;
        for se in &self.series {
            let (col, da, width) = if se.emphasis {
                (INK, "", 3.0)
            } else {
                let r = (colour(k), dash(k), 1.6);
                k += 1;
                r
            };
            let d: Vec<String> = se
                .points
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|p| format!("{},{}", c(f.px(p.0)), c(f.py(p.1))))
                .collect();
            let _ = write!(
                s,
                "<g class=\"series\" data-name=\"{}\"><title>{}</title><polyline fill=\"none\" stroke=\"{col}\" stroke-width=\"{width}\" stroke-dasharray=\"{da}\" points=\"{}\"/>",
                esc(&se.name),
                esc(&se.name),
                d.join(" ")
            );
            if d.len() == 1 {
                let _ = write!(
                    s,
                    "<circle r=\"3\" fill=\"{col}\" cx=\"{}\" cy=\"{}\"/>",
                    c(f.px(se.points[0].0)),
                    c(f.py(se.points[0].1))
                );
            }
            s.push_str("</g>");
            entries.push((se.name.clone(), col.to_string(), da.to_string(), false));
        }
        s.push_str(&legend(f.w - legend_w, f.top + 6.0, &entries));
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_polyline_per_series_and_escaped_names() {
        let ch = LineChart {
            title: "t<1>".into(),
            series: vec![
                Series {
                    name: "a&b".into(),
                    points: vec![(0.0, 1.0), (1.0, 2.0)],
                    emphasis: false,
                },
                Series {
                    name: "median".into(),
                    points: vec![(0.0, 1.5), (1.0, 1.5)],
                    emphasis: true,
                },
            ],
            marks: vec![(1.8, "outcome".into())],
            ..Default::default()
        };
        let s = ch.render();
        assert_eq!(s.matches("<polyline").count(), 2);
        assert!(s.contains("data-name=\"a&amp;b\""));
        assert!(s.contains("t&lt;1&gt;"));
        assert!(!s.contains("t<1>"));
        assert!(s.contains("class=\"mark\""));
    }

    #[test]
    fn empty_chart_says_so() {
        let s = LineChart::default().render();
        assert!(s.contains("no data"));
    }
}
