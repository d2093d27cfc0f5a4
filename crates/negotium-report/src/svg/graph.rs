//! Directed graph drawn as a path: nodes left to right in the given order,
//! forward edges arcing above, backward edges below, with arrowheads.

use std::fmt::Write;

use super::{c, colour, esc, open_svg, INK};

/// A node; `highlight` marks e.g. the status quo or an equilibrium.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub highlight: bool,
    /// The starting state (e.g. the status quo): drawn in blue with a thick ring.
    pub start: bool,
}

/// A directed edge between node ids, with an optional label (e.g. the mover).
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: Option<String>,
}

/// A directed graph laid out along one line.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Graph {
    pub fn render(&self) -> String {
        if self.nodes.is_empty() {
            return super::empty("graph", &self.title, "no states to draw");
        }
        let n = self.nodes.len();
        let step = 110.0;
        let w = 80.0 + step * (n.saturating_sub(1)) as f64 + 80.0;
        let spans = |forward: bool| {
            self.edges
                .iter()
                .filter_map(|e| {
                    let a = self.nodes.iter().position(|x| x.id == e.from)?;
                    let b = self.nodes.iter().position(|x| x.id == e.to)?;
                    ((b >= a) == forward).then_some(a.abs_diff(b))
                })
                .max()
        };
        let arc = |span: f64| 18.0 + 22.0 * span.min(6.0);
        let above = spans(true).map_or(0.0, |s| arc(s as f64));
        let below = spans(false).map_or(0.0, |s| arc(s as f64));
        let mid = 40.0 + above;
        let h = mid + below + 50.0;
        let pos = |id: &str| -> Option<f64> {
            self.nodes
                .iter()
                .position(|x| x.id == id)
                .map(|i| 80.0 + step * i as f64)
        };
        let mut s = open_svg(w.max(320.0), h, "graph", &self.title);
        s.push_str(&format!(
            "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"{INK}\"/></marker></defs>"
        ));
        let mut movers: Vec<String> = Vec::new();
        for e in &self.edges {
            let (Some(x1), Some(x2)) = (pos(&e.from), pos(&e.to)) else {
                continue;
            };
            let span = ((x2 - x1) / step).abs();
            let forward = x2 >= x1;
            let bend = arc(span) * if forward { -1.0 } else { 1.0 };
            let r = 24.0;
            let (sx, ex) = if forward {
                (x1 + 8.0, x2 - 8.0)
            } else {
                (x1 - 8.0, x2 + 8.0)
            };
            let sy = mid + if forward { -r * 0.6 } else { r * 0.6 };
            let col = match &e.label {
                Some(l) => {
                    if !movers.contains(l) {
                        movers.push(l.clone());
                    }
                    colour(movers.iter().position(|m| m == l).unwrap_or(0))
                }
                None => INK,
            };
            let cx = (sx + ex) / 2.0;
            let cy = mid + bend * 1.6;
            let _ = write!(
                s,
                "<g class=\"edge\"><path d=\"M{} {} Q{} {} {} {}\" fill=\"none\" stroke=\"{col}\" stroke-width=\"1.8\" marker-end=\"url(#arrow)\"/>",
                c(sx), c(sy), c(cx), c(cy), c(ex), c(sy)
            );
            if let Some(l) = &e.label {
                let _ = write!(
                    s,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{col}\">{}</text>",
                    c(cx),
                    c(mid + bend * 0.8 + if forward { -2.0 } else { 10.0 }),
                    esc(l)
                );
            }
            s.push_str("</g>");
        }
        for nd in &self.nodes {
            let x = pos(&nd.id).unwrap_or(0.0);
            let _ = write!(
                s,
                "<g class=\"node{}\"><circle cx=\"{}\" cy=\"{}\" r=\"24\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text></g>",
                if nd.start { " start" } else if nd.highlight { " highlight" } else { "" },
                c(x), c(mid),
                if nd.start { "#56B4E9" } else if nd.highlight { "#F0E442" } else { "#fff" },
                if nd.start { 4 } else if nd.highlight { 2 } else { 1 },
                c(x), c(mid + 4.0), esc(&nd.label)
            );
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_edges_to_unknown_nodes() {
        let g = Graph {
            title: "sq".into(),
            nodes: vec![
                Node {
                    id: "1".into(),
                    label: "1".into(),
                    highlight: false,
                    start: true,
                },
                Node {
                    id: "5".into(),
                    label: "5".into(),
                    highlight: true,
                    start: false,
                },
            ],
            edges: vec![
                Edge {
                    from: "1".into(),
                    to: "5".into(),
                    label: Some("KOS".into()),
                },
                Edge {
                    from: "5".into(),
                    to: "9".into(),
                    label: None,
                },
            ],
        };
        let s = g.render();
        assert_eq!(s.matches("class=\"edge\"").count(), 1);
        assert_eq!(s.matches("class=\"node").count(), 2);
        assert!(s.contains("node start"));
        assert!(s.contains("node highlight"));
    }
}
