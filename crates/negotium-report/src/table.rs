//! Plain-text tables with aligned columns (widths by character count), and
//! the padding and cutting every text renderer uses: never `{:<w$}` with a
//! width taken from input (Rust's format widths are 16-bit and panic beyond),
//! and names longer than [`MAX_CELL`] cut with `…` so a table stays a table.

/// The widest a label may be in a text table (its first column, and label
/// columns drawn by hand) in characters; longer text is cut, ending in `…`.
pub const MAX_CELL: usize = 60;

/// The widest any other cell may be, except the last column (titles and
/// descriptions read whole up to this length).
pub const MAX_TEXT_CELL: usize = 100;

/// `s` cut to at most `max` characters, the last being `…` when cut
/// (`max` 0 gives an empty string).
pub fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// `s` padded with spaces to `width` characters, on the right (`Left`) or
/// the left (`Right`); never cut, and safe for any width.
pub fn pad(s: &str, width: usize, align: Align) -> String {
    let fill = " ".repeat(width.saturating_sub(s.chars().count()));
    match align {
        Align::Left => format!("{s}{fill}"),
        Align::Right => format!("{fill}{s}"),
    }
}

/// The width of a column of labels: the longest (in characters), at least
/// `min`, at most [`MAX_CELL`]; cut the labels with [`fit`] to it.
pub fn label_width<'a>(labels: impl IntoIterator<Item = &'a str>, min: usize) -> usize {
    labels
        .into_iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(min.min(MAX_CELL), MAX_CELL)
}

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
    /// Appends a row (short rows are padded with empty cells; the first
    /// cell is cut to [`MAX_CELL`], the others but the last to
    /// [`MAX_TEXT_CELL`]).
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut r: Vec<String> = cells.into_iter().map(Into::into).collect();
        r.resize(self.headers.len().max(r.len()), String::new());
        let last = r.len().saturating_sub(1);
        for (i, c) in r[..last].iter_mut().enumerate() {
            let max = if i == 0 { MAX_CELL } else { MAX_TEXT_CELL };
            if c.chars().count() > max {
                *c = fit(c, max);
            }
        }
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

    #[test]
    fn huge_names_are_cut_not_a_panic() {
        // Rust's `{:<w$}` panics for w >= 65,536; these helpers never do.
        let long = "é".repeat(70_000);
        assert_eq!(pad("ab", 70_000, Align::Left).chars().count(), 70_000);
        assert_eq!(pad("ab", 4, Align::Right), "  ab");
        assert_eq!(pad("abcdef", 2, Align::Left), "abcdef");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit(&long, MAX_CELL).chars().count(), MAX_CELL);
        assert_eq!(label_width([long.as_str(), "x"], 8), MAX_CELL);
        assert_eq!(label_width(["ab"], 8), 8);
        assert_eq!(label_width([], 5), 5);
        let mut t = Table::new(["name", "note"]);
        t.row([long.as_str(), long.as_str()]);
        let s = t.render(0);
        let row = s.lines().nth(2).unwrap();
        // The name is cut to MAX_CELL; the last column is kept whole.
        assert!(row.starts_with(&format!("{}…  é", "é".repeat(MAX_CELL - 1))));
        assert_eq!(row.chars().count(), MAX_CELL + 2 + 70_000);
    }
}
