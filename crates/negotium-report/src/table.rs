//! Plain-text tables with aligned columns (widths by character count).

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table of strings with a header row.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers; columns are left-aligned until set.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let align = vec![Align::Left; headers.len()];
        Table {
            headers,
            align,
            rows: Vec::new(),
        }
    }
    /// Sets each column's alignment (extra entries are ignored).
    pub fn align(mut self, align: &[Align]) -> Self {
        for (i, a) in align.iter().enumerate().take(self.align.len()) {
            self.align[i] = *a;
        }
        self
    }
    /// Appends a row (short rows are padded with empty cells).
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut r: Vec<String> = cells.into_iter().map(Into::into).collect();
        r.resize(self.headers.len().max(r.len()), String::new());
        self.rows.push(r);
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
    /// Renders with two spaces between columns, a rule under the header,
    /// every line indented by `indent` spaces.
    pub fn render(&self, indent: usize) -> String {
        let ncol = self
            .rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(self.headers.len());
        let mut w = vec![0usize; ncol];
        for r in std::iter::once(&self.headers).chain(&self.rows) {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        let pad = " ".repeat(indent);
        let line = |r: &Vec<String>| {
            let mut s = pad.clone();
            for (i, wi) in w.iter().enumerate() {
                let c = r.get(i).map(String::as_str).unwrap_or("");
                let fill = wi - c.chars().count();
                let a = self.align.get(i).copied().unwrap_or(Align::Left);
                if i > 0 {
                    s.push_str("  ");
                }
                match a {
                    Align::Left => {
                        s.push_str(c);
                        if i + 1 < ncol {
                            s.push_str(&" ".repeat(fill));
                        }
                    }
                    Align::Right => {
                        s.push_str(&" ".repeat(fill));
                        s.push_str(c);
                    }
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(&self.headers);
        let total: usize = w.iter().sum::<usize>() + 2 * ncol.saturating_sub(1);
        out.push_str(&pad);
        out.push_str(&"─".repeat(total));
        out.push('\n');
        for r in &self.rows {
            out.push_str(&line(r));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_columns_by_characters() {
        let mut t = Table::new(["a", "value"]).align(&[Align::Left, Align::Right]);
        t.row(["Åland", "1.5"]);
        t.row(["x", "10"]);
        let s = t.render(0);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "a      value");
        assert_eq!(lines[2], "Åland    1.5");
        assert_eq!(lines[3], "x         10");
    }
}
