//! Reader of the DEU ("Decision-making in the European Union") CSV layout
//! used by DEU III (Arregui & Perarnaud): semicolon-separated, one row per
//! controversial issue, a header naming the columns.
//!
//! * `p<actor>` / `s<actor>`: an actor's position and salience, 0–100. An
//!   actor is any `<code>` with both a `p<code>` and an `s<code>` column
//!   (so `prnr`, `proc`, `prname` are not actors: there is no `srnr`, …).
//! * `rp`: the reference point (status quo); `out`: the outcome.
//! * Optional identifiers: `prnr` (proposal), `isnr` (issue within it),
//!   `prname`, `proc`, and the dates `finact` (adoption) and `intro`.
//!
//! A blank cell, or a number outside [0, 100] (DEU codes missing data as
//! 999 and similar), is missing. A decimal comma is accepted (`12,5`). Any
//! other text in a numeric column is an error naming the file, the line, the
//! column and the value. An actor takes part in an issue when both its
//! position and its salience are present. An issue is **scored** when it has
//! an outcome and at least [`MIN_ACTORS`] actors; every other row is kept
//! with the reason it is not scored.

use std::fmt;
use std::path::Path;

use serde::Serialize;

/// Fewest actors for an issue to be scored.
pub const MIN_ACTORS: usize = 3;
/// Largest file read (checked before reading).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A calendar date (proleptic Gregorian), as written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Parses `DD-MM-YY`, `DD-MM-YYYY`, `DD/MM/YYYY`, `DD.MM.YYYY` or
    /// `YYYY-MM-DD`. Two-digit years: 50–99 → 19xx, 00–49 → 20xx.
    pub fn parse(s: &str) -> Option<Date> {
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let num = |p: &str| -> Option<i32> {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        };
        let (y, m, d) = if parts[0].len() == 4 {
            (num(parts[0])?, num(parts[1])?, num(parts[2])?)
        } else {
            let y = num(parts[2])?;
            let y = match parts[2].len() {
                2 if y >= 50 => 1900 + y,
                2 => 2000 + y,
                4 => y,
                _ => return None,
            };
            (y, num(parts[1])?, num(parts[0])?)
        };
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if !(1..=12).contains(&m) || d < 1 || d > days[(m - 1) as usize] {
            return None;
        }
        Some(Date {
            year: y,
            month: m as u8,
            day: d as u8,
        })
    }
}

/// One actor's stance on one issue (salience still on 0–100).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeuStance {
    /// The column suffix, lower-cased: `com`, `ep`, `de`, …
    pub actor: String,
    pub position: f64,
    pub salience: f64,
}

/// Why a row is not scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Unscored {
    /// No outcome (blank or out of range).
    NoOutcome,
    /// Fewer than [`MIN_ACTORS`] actors with both position and salience.
    TooFewActors { actors: usize },
}

impl fmt::Display for Unscored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unscored::NoOutcome => write!(f, "no outcome"),
            Unscored::TooFewActors { actors } => {
                write!(
                    f,
                    "{actors} actor(s) with position and salience, need {MIN_ACTORS}"
                )
            }
        }
    }
}

/// One row of the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeuIssue {
    /// 1-based line of the row in the file (the header is line 1).
    pub line: usize,
    /// `prnr/isnr` when both are present, else `row<line>`.
    pub id: String,
    pub proposal: Option<String>,
    pub name: Option<String>,
    pub procedure: Option<String>,
    /// `finact` (date of the final act), if present and readable.
    pub adopted: Option<Date>,
    /// `intro` (date of the proposal), if present and readable.
    pub introduced: Option<Date>,
    /// Actors with both position and salience, in column order.
    pub stances: Vec<DeuStance>,
    pub reference: Option<f64>,
    pub outcome: Option<f64>,
    /// `None` when the issue is scored.
    pub unscored: Option<Unscored>,
}

impl DeuIssue {
    pub fn is_scored(&self) -> bool {
        self.unscored.is_none()
    }
}

/// A whole file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeuFile {
    pub file: String,
    /// Actor codes found in the header, in column order of `p<code>`.
    pub actors: Vec<String>,
    pub issues: Vec<DeuIssue>,
}

impl DeuFile {
    pub fn scored(&self) -> impl Iterator<Item = &DeuIssue> {
        self.issues.iter().filter(|i| i.is_scored())
    }
}

/// Why a DEU file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DeuError {
    #[error("cannot read {file}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {bytes} bytes is more than the {max} bytes a DEU file may have")]
    TooLarge { file: String, bytes: u64, max: u64 },
    #[error("{file}:{line}: {message}")]
    Row {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}:{line}: column `{column}`: {message}, got `{value}`")]
    Value {
        file: String,
        line: usize,
        column: String,
        value: String,
        message: String,
    },
    #[error("{file}: header: {message}")]
    Header { file: String, message: String },
}

/// Reads a DEU file from disk (size checked first).
pub fn read_path(path: &Path) -> Result<DeuFile, DeuError> {
    let file = path.display().to_string();
    let io = |source| DeuError::Io {
        file: file.clone(),
        source,
    };
    let bytes = std::fs::metadata(path).map_err(io)?.len();
    if bytes > MAX_BYTES {
        return Err(DeuError::TooLarge {
            file,
            bytes,
            max: MAX_BYTES,
        });
    }
    let raw = std::fs::read(path).map_err(io)?;
    // DEU files in the wild are UTF-8 or Latin-1; names are only labels.
    let text = match String::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    };
    read_str(&text, &file)
}

/// A number cell: `Ok(None)` for blank or out of [0, 100].
fn cell(v: &str) -> Result<Option<f64>, &'static str> {
    let t = v.trim();
    if t.is_empty() || t == "." || t.eq_ignore_ascii_case("na") {
        return Ok(None);
    }
    let x: f64 = t
        .replace(',', ".")
        .parse()
        .map_err(|_| "expected a number, a blank, or an out-of-range missing code such as 999")?;
    if !x.is_finite() {
        return Err("expected a finite number");
    }
    Ok(((0.0..=100.0).contains(&x)).then_some(x))
}

/// Parses DEU text; `file` names it in errors.
pub fn read_str(text: &str, file: &str) -> Result<DeuFile, DeuError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rd = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| DeuError::Header {
            file: file.into(),
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let mut seen = std::collections::BTreeSet::new();
    for h in &header {
        if !h.is_empty() && !seen.insert(h.as_str()) {
            return Err(DeuError::Header {
                file: file.into(),
                message: format!("column `{h}` appears twice"),
            });
        }
    }
    let out_col = col("out").ok_or_else(|| DeuError::Header {
        file: file.into(),
        message: "no `out` (outcome) column".into(),
    })?;
    let rp_col = col("rp");
    let mut actors: Vec<(String, usize, usize)> = Vec::new();
    for (k, h) in header.iter().enumerate() {
        if let Some(code) = h.strip_prefix('p') {
            if code.is_empty() {
                continue;
            }
            if let Some(s) = col(&format!("s{code}")) {
                actors.push((code.to_string(), k, s));
            }
        }
    }
    if actors.is_empty() {
        return Err(DeuError::Header {
            file: file.into(),
            message: "no actor: expected pairs of columns p<actor> and s<actor>".into(),
        });
    }
    let text_col = |name: &str| col(name);
    let (prnr, isnr, prname, proc_, finact, intro) = (
        text_col("prnr"),
        text_col("isnr"),
        text_col("prname"),
        text_col("proc"),
        text_col("finact"),
        text_col("intro"),
    );
    let mut issues = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!(
                    "expected {expected_len} fields separated by `;` as in the header, got {len}"
                ),
                _ => e.to_string(),
            };
            DeuError::Row {
                file: file.into(),
                line,
                message,
            }
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let num = |k: usize| -> Result<Option<f64>, DeuError> {
            cell(&rec[k]).map_err(|message| DeuError::Value {
                file: file.into(),
                line,
                column: header[k].clone(),
                value: rec[k].to_string(),
                message: message.into(),
            })
        };
        let txt = |k: Option<usize>| {
            k.map(|k| rec[k].trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let date = |k: Option<usize>| -> Result<Option<Date>, DeuError> {
            match txt(k) {
                None => Ok(None),
                Some(s) => Date::parse(&s).map(Some).ok_or_else(|| DeuError::Value {
                    file: file.into(),
                    line,
                    column: header[k.expect("present")].clone(),
                    value: s.clone(),
                    message: "expected a date DD-MM-YY, DD-MM-YYYY or YYYY-MM-DD".into(),
                }),
            }
        };
        let mut stances = Vec::new();
        for (code, pk, sk) in &actors {
            let (p, s) = (num(*pk)?, num(*sk)?);
            if let (Some(position), Some(salience)) = (p, s) {
                stances.push(DeuStance {
                    actor: code.clone(),
                    position,
                    salience,
                });
            }
        }
        let outcome = num(out_col)?;
        let reference = rp_col.map(num).transpose()?.flatten();
        let unscored = if outcome.is_none() {
            Some(Unscored::NoOutcome)
        } else if stances.len() < MIN_ACTORS {
            Some(Unscored::TooFewActors {
                actors: stances.len(),
            })
        } else {
            None
        };
        let proposal = txt(prnr);
        let id = match (&proposal, txt(isnr)) {
            (Some(p), Some(i)) => format!("{p}/{i}"),
            _ => format!("row{line}"),
        };
        issues.push(DeuIssue {
            line,
            id,
            proposal,
            name: txt(prname),
            procedure: txt(proc_),
            adopted: date(finact)?,
            introduced: date(intro)?,
            stances,
            reference,
            outcome,
            unscored,
        });
    }
    Ok(DeuFile {
        file: file.into(),
        actors: actors.into_iter().map(|a| a.0).collect(),
        issues,
    })
}
