//! Scatter plot of groups of points (e.g. a Pareto frontier, solution points
//! and agreements) with labelled vertical/horizontal reference lines.

use std::fmt::Write;

use super::{c, colour, esc, extent, Frame, INK};

/// How a group's points are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Dot,
    Square,
    Diamond,
    Cross,
    /// Points joined by a line in the order given (e.g. a frontier).
    Line,
}

/// One named group of points with an optional label per point.
#[derive(Debug, Clone)]
pub struct ScatterGroup {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub marker: Marker,
}

/// A labelled reference line: vertical at x (`vertical`) or horizontal at y.
#[derive(Debug, Clone)]
pub struct RefLine {
    pub at: f64,
    pub vertical: bool,
    pub label: String,
}

/// A scatter plot; build it, then [`Scatter::render`].
#[derive(Debug, Clone, Default)]
pub struct Scatter {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub groups: Vec<ScatterGroup>,
    pub refs: Vec<RefLine>,
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
}

fn shape(m: Marker, x: f64, y: f64, col: &str) -> String {
    match m {
        Marker::Dot | Marker::Line => {
            format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{col}\"/>",
                c(x),
                c(y)
            )
        }
        Marker::Square => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{col}\" stroke=\"{INK}\"/>",
            c(x - 5.0),
            c(y - 5.0)
        ),
        Marker::Diamond => format!(
            "<path d=\"M{} {}l6 6l-6 6l-6 -6z\" fill=\"{col}\" stroke=\"{INK}\"/>",
            c(x),
            c(y - 6.0)
        ),
        Marker::Cross => format!(
            "<path d=\"M{} {}l10 10m0 -10l-10 10\" stroke=\"{col}\" stroke-width=\"2.5\"/>",
            c(x - 5.0),
            c(y - 5.0)
        ),
    }
}

impl Scatter {
    pub fn render(&self) -> String {
        let pts = || self.groups.iter().flat_map(|g| g.points.iter());
        let xr = self.x_range.or_else(|| {
            extent(
                pts()
                    .map(|p| p.0)
                    .chain(self.refs.iter().filter(|r| r.vertical).map(|r| r.at)),
            )
        });
        let yr = self.y_range.or_else(|| {
            extent(
                pts()
                    .map(|p| p.1)
                    .chain(self.refs.iter().filter(|r| !r.vertical).map(|r| r.at)),
            )
        });
        let (Some(xr), Some(yr)) = (xr, yr) else {
            return super::empty("scatter", &self.title, "no data to plot");
        };
        let legend_w = 190.0;
        let f = Frame {
            w: 640.0,
            h: 420.0,
            left: 56.0,
            right: legend_w + 12.0,
            top: 16.0,
            bottom: 40.0,
            x: xr,
            y: yr,
        };
        let mut s = f.open("scatter", &self.title);
        s.push_str(&f.axes(&self.x_label, &self.y_label, false));
        for r in &self.refs {
            let (x1, y1, x2, y2, tx, ty) = if r.vertical {
                let x = f.px(r.at);
                (x, f.top, x, f.h - f.bottom, x + 3.0, f.top + 12.0)
            } else {
                let y = f.py(r.at);
                (f.left, y, f.w - f.right, y, f.left + 4.0, y - 4.0)
            };
            let _ = write!(
                s,
                "<g class=\"ref\"><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#666\" stroke-dasharray=\"5 4\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#444\">{}</text></g>",
                c(x1), c(y1), c(x2), c(y2), c(tx), c(ty), esc(&r.label)
            );
        }
        let mut lg = String::from("<g class=\"legend\">");
        for (i, g) in self.groups.iter().enumerate() {
            let col = colour(i);
            let _ = write!(
                s,
                "<g class=\"group\" data-name=\"{}\"><title>{}</title>",
                esc(&g.name),
                esc(&g.name)
            );
            let finite: Vec<&(f64, f64)> = g
                .points
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect();
            if g.marker == Marker::Line && finite.len() > 1 {
                let d: Vec<String> = finite
                    .iter()
                    .map(|p| format!("{},{}", c(f.px(p.0)), c(f.py(p.1))))
                    .collect();
                let _ = write!(
                    s,
                    "<polyline fill=\"none\" stroke=\"{col}\" stroke-width=\"1.5\" points=\"{}\"/>",
                    d.join(" ")
                );
            }
            for p in finite {
                s.push_str(&shape(g.marker, f.px(p.0), f.py(p.1), col));
            }
            s.push_str("</g>");
            let ly = f.top + 6.0 + i as f64 * 18.0;
            let lx = f.w - legend_w;
            lg.push_str(&shape(g.marker, lx + 8.0, ly, col));
            let _ = write!(
                lg,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                c(lx + 20.0),
                c(ly + 4.0),
                esc(&g.name)
            );
        }
        lg.push_str("</g>");
        s.push_str(&lg);
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_every_point_and_reference() {
        let sc = Scatter {
            title: "p".into(),
            groups: vec![
                ScatterGroup {
                    name: "frontier".into(),
                    points: vec![(0.0, 1.0), (0.5, 0.8), (1.0, 0.0)],
                    marker: Marker::Line,
                },
                ScatterGroup {
                    name: "nash".into(),
                    points: vec![(0.5, 0.8)],
                    marker: Marker::Diamond,
                },
            ],
            refs: vec![RefLine {
                at: 0.2,
                vertical: true,
                label: "A reservation".into(),
            }],
            ..Default::default()
        };
        let s = sc.render();
        // Three frontier points plus the frontier's legend swatch.
        assert_eq!(s.matches("<circle").count(), 4);
        assert_eq!(s.matches("class=\"group\"").count(), 2);
        assert_eq!(s.matches("class=\"ref\"").count(), 1);
    }
}
