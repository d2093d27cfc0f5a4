//! Charts. [`read`]: the report's detail charts as maud markup
//! (trajectories, timeline, status-quo moves, negotiation trace). The
//! string primitives (line chart, bars, dot plot) serve the sweep and replay
//! reports. Every user string is escaped.

pub mod bar;
pub mod line;
pub mod read;
pub mod timeline;

pub use bar::{BarChart, DotPlot, DotRow};
pub use line::{LineChart, Series};

use std::fmt::Write;

/// Okabe–Ito colour-blind-safe palette, ordered for contrast on white
/// (yellow last; black is kept for medians and reference marks).
pub const PALETTE: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
];

/// Ink for emphasised series, axes and reference lines.
pub const INK: &str = "#000000";

/// Dash patterns combined with colours so that more than seven series stay
/// distinguishable (and so that colour is never the only cue).
const DASHES: [&str; 4] = ["", "6 3", "2 3", "8 3 2 3"];

/// Colour of the `i`-th series.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Dash pattern of the `i`-th series (solid for the first seven).
pub fn dash(i: usize) -> &'static str {
    DASHES[(i / PALETTE.len()) % DASHES.len()]
}

/// Escapes text for HTML/SVG element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most two decimals (keeps the SVG small).
pub(crate) fn c(x: f64) -> String {
    crate::num(x, 2)
}

/// About `n` "nice" tick values covering `[lo, hi]`.
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || n == 0 {
        return vec![lo];
    }
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut t = first;
    while t <= hi + step * 1e-9 && out.len() < 50 {
        out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    out
}

/// Extent of finite values, padded when degenerate; `None` when empty.
pub fn extent(vals: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in vals.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return None;
    }
    if hi - lo < 1e-12 {
        let pad = if lo.abs() > 1e-9 { lo.abs() * 0.1 } else { 1.0 };
        return Some((lo - pad, hi + pad));
    }
    Some((lo, hi))
}

/// The plotting area of a chart with linear x and y scales.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub w: f64,
    pub h: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Frame {
    pub fn px(&self, x: f64) -> f64 {
        let (a, b) = self.x;
        self.left + (x - a) / (b - a) * (self.w - self.left - self.right)
    }
    pub fn py(&self, y: f64) -> f64 {
        let (a, b) = self.y;
        self.h - self.bottom - (y - a) / (b - a) * (self.h - self.top - self.bottom)
    }
    /// Opening `<svg>` with accessible title; `kind` becomes a CSS class.
    pub fn open(&self, kind: &str, title: &str) -> String {
        open_svg(self.w, self.h, kind, title)
    }
    /// Axes, grid, ticks and axis labels.
    pub fn axes(&self, x_label: &str, y_label: &str, integer_x: bool) -> String {
        let mut s = String::from("<g class=\"axes\">");
        let (x0, x1) = (self.left, self.w - self.right);
        let (y0, y1) = (self.h - self.bottom, self.top);
        for t in ticks(self.y.0, self.y.1, 5) {
            let y = self.py(t);
            let _ = write!(
                s,
                "<line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                c(x0), c(y), c(x1), c(y), c(x0 - 6.0), c(y + 4.0), esc(&crate::num(t, 3))
            );
        }
        let xt: Vec<f64> = ticks(self.x.0, self.x.1, 6)
            .into_iter()
            .filter(|t| !integer_x || t.fract() == 0.0)
            .collect();
        for t in xt {
            let x = self.px(t);
            let _ = write!(
                s,
                "<line class=\"tickmark\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                c(x), c(y0), c(x), c(y0 + 5.0), c(x), c(y0 + 18.0), esc(&crate::num(t, 3))
            );
        }
        let _ = write!(
            s,
            "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            c(x0), c(y0), c(x1), c(y0), c(x0), c(y0), c(x0), c(y1)
        );
        let _ = write!(
            s,
            "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            c((x0 + x1) / 2.0),
            c(self.h - 6.0),
            esc(x_label)
        );
        let _ = write!(
            s,
            "<text class=\"label\" transform=\"translate(14 {}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            c((y0 + y1) / 2.0),
            esc(y_label)
        );
        s.push_str("</g>");
        s
    }
}

/// Opening tag of a chart: fixed viewBox, scalable, with a `<title>`.
pub(crate) fn open_svg(w: f64, h: f64, kind: &str, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {kind}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{t}\" font-family=\"system-ui, sans-serif\" font-size=\"12\"><title>{t}</title><style>.grid{{stroke:#ddd;stroke-width:1}}.axis,.tickmark{{stroke:#333;stroke-width:1}}.tick{{fill:#333;font-size:11px}}.label{{fill:#111;font-size:12px}}.legend text{{fill:#111;font-size:11px}}</style>",
        c(w), c(h), c(w), c(h),
        t = esc(title)
    )
}

/// A legend box at (x, y): one line per entry with its swatch.
pub(crate) fn legend(x: f64, y: f64, entries: &[(String, String, String, bool)]) -> String {
    // (name, colour, dash, is_point)
    let mut s = String::from("<g class=\"legend\">");
    for (i, (name, col, dash, is_point)) in entries.iter().enumerate() {
        let yy = y + i as f64 * 16.0;
        if *is_point {
            let _ = write!(
                s,
                "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{col}\"/>",
                c(x + 9.0),
                c(yy)
            );
        } else {
            let _ = write!(
                s,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{col}\" stroke-width=\"2.5\" stroke-dasharray=\"{dash}\"/>",
                c(x), c(yy), c(x + 18.0), c(yy)
            );
        }
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            c(x + 24.0),
            c(yy + 4.0),
            esc(name)
        );
    }
    s.push_str("</g>");
    s
}

/// A short "no data" chart placeholder (keeps pages well-formed).
pub fn empty(kind: &str, title: &str, why: &str) -> String {
    let mut s = open_svg(480.0, 60.0, kind, title);
    let _ = write!(
        s,
        "<text x=\"12\" y=\"34\" fill=\"#555\">{}</text></svg>",
        esc(why)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<script>alert('x')&\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn nice_ticks_cover_range() {
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(ticks(0.0, 1.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(ticks(1.0, 1.0, 4), vec![1.0]);
    }

    #[test]
    fn extent_pads_degenerate() {
        assert_eq!(extent([3.0, 1.0, f64::NAN]), Some((1.0, 3.0)));
        assert_eq!(extent([0.0]), Some((-1.0, 1.0)));
        assert_eq!(extent(std::iter::empty()), None);
    }
}
