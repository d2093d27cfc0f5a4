//! Boolean formulas over options (preference statements, infeasibility and
//! misperception patterns) and their text syntax: Y/N/- patterns, GMCR+ signed
//! lists (`1, -3`), `q if p`, `q iff p`, and `& | ! ( )` over option ids.

use serde::{Deserialize, Serialize};

use crate::error::ConflictError;

/// A Boolean formula whose atoms are options (by index in the spec's option list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// Always true (the empty conjunction).
    True,
    /// Option `opt` is taken (`taken = true`) or not taken.
    Lit {
        opt: usize,
        taken: bool,
    },
    Not(Box<Formula>),
    And(Vec<Formula>),
    Or(Vec<Formula>),
    /// `q if p`: p implies q (stored as `Implies(p, q)`).
    Implies(Box<Formula>, Box<Formula>),
    Iff(Box<Formula>, Box<Formula>),
}

impl Formula {
    /// `opt` taken.
    pub fn yes(opt: usize) -> Self {
        Formula::Lit { opt, taken: true }
    }
    /// `opt` not taken.
    pub fn no(opt: usize) -> Self {
        Formula::Lit { opt, taken: false }
    }
    /// Truth at a state, given `bit(opt)` = is option `opt` taken.
    pub fn eval(&self, bit: &impl Fn(usize) -> bool) -> bool {
        match self {
            Formula::True => true,
            Formula::Lit { opt, taken } => bit(*opt) == *taken,
            Formula::Not(f) => !f.eval(bit),
            Formula::And(fs) => fs.iter().all(|f| f.eval(bit)),
            Formula::Or(fs) => fs.iter().any(|f| f.eval(bit)),
            Formula::Implies(p, q) => !p.eval(bit) || q.eval(bit),
            Formula::Iff(p, q) => p.eval(bit) == q.eval(bit),
        }
    }
    /// Every option index mentioned.
    pub fn options(&self, out: &mut Vec<usize>) {
        match self {
            Formula::True => {}
            Formula::Lit { opt, .. } => out.push(*opt),
            Formula::Not(f) => f.options(out),
            Formula::And(fs) | Formula::Or(fs) => fs.iter().for_each(|f| f.options(out)),
            Formula::Implies(p, q) | Formula::Iff(p, q) => {
                p.options(out);
                q.options(out);
            }
        }
    }
    /// The same formula with every option index mapped by `f`.
    pub fn map_options(&self, f: &impl Fn(usize) -> usize) -> Formula {
        match self {
            Formula::True => Formula::True,
            Formula::Lit { opt, taken } => Formula::Lit {
                opt: f(*opt),
                taken: *taken,
            },
            Formula::Not(x) => Formula::Not(Box::new(x.map_options(f))),
            Formula::And(fs) => Formula::And(fs.iter().map(|x| x.map_options(f)).collect()),
            Formula::Or(fs) => Formula::Or(fs.iter().map(|x| x.map_options(f)).collect()),
            Formula::Implies(p, q) => {
                Formula::Implies(Box::new(p.map_options(f)), Box::new(q.map_options(f)))
            }
            Formula::Iff(p, q) => {
                Formula::Iff(Box::new(p.map_options(f)), Box::new(q.map_options(f)))
            }
        }
    }
    /// If the formula is a conjunction of literals: (mask, value) over option
    /// indices used as bit positions.
    pub fn as_cube(&self) -> Option<(u64, u64)> {
        match self {
            Formula::True => Some((0, 0)),
            Formula::Lit { opt, taken } if *opt < 64 => {
                Some((1 << opt, if *taken { 1 << opt } else { 0 }))
            }
            Formula::And(fs) => {
                let (mut m, mut v) = (0u64, 0u64);
                for f in fs {
                    let (fm, fv) = f.as_cube()?;
                    if (m & fm) & (v ^ fv) != 0 {
                        return None; // contradictory: keep the general evaluator
                    }
                    m |= fm;
                    v |= fv;
                }
                Some((m, v))
            }
            _ => None,
        }
    }
}

/// How option names are resolved while parsing: ids in spec order, and the
/// DM-grouped order used by Y/N/- patterns and option numbers.
pub struct OptionNames<'a> {
    /// Option ids (spec order).
    pub ids: &'a [String],
    /// Option names (spec order), usable quoted: `'declare independence'`.
    pub names: &'a [String],
    /// `grouped[k]` = spec index of the option at DM-grouped position k.
    pub grouped: &'a [usize],
}

/// Parses a statement. Y/N/- patterns (one character per option in DM-grouped
/// order) are tried first; otherwise the Boolean syntax below.
///
/// ```text
/// list   := cond (',' cond)*          -- comma = and (GMCR+ "1, -3")
/// cond   := or (('if' | 'iff') or)?   -- "q if p" = p -> q
/// or     := and ('|' and)*
/// and    := unary ('&' unary)*
/// unary  := ('!' | '-' | 'not') unary | atom
/// atom   := NUMBER (1-based, grouped order) | ID | 'NAME' | "NAME" | '(' list ')'
/// ```
///
/// Negations are folded without recursion (any number of `!` in a row), and
/// parentheses may nest at most [`MAX_NESTING`] deep: deeper input is refused
/// with the column of the first parenthesis too many, never a stack overflow.
pub fn parse(text: &str, names: &OptionNames) -> Result<Formula, ConflictError> {
    let t = text.trim();
    let n = names.ids.len();
    if !t.is_empty() && t.chars().count() == n && t.chars().all(|c| matches!(c, 'Y' | 'N' | '-')) {
        let lits: Vec<Formula> = t
            .chars()
            .enumerate()
            .filter(|(_, c)| *c != '-')
            .map(|(k, c)| Formula::Lit {
                opt: names.grouped[k],
                taken: c == 'Y',
            })
            .collect();
        return Ok(if lits.is_empty() {
            Formula::True
        } else {
            Formula::And(lits)
        });
    }
    let toks = lex(text)?;
    if toks.is_empty() {
        return Err(perr(
            text,
            0,
            "empty statement; expected a formula such as `a & !b`",
        ));
    }
    let mut p = Parser {
        text,
        toks,
        pos: 0,
        depth: 0,
        names,
    };
    let f = p.list()?;
    if p.pos < p.toks.len() {
        let (col, _) = p.toks[p.pos];
        return Err(perr(
            text,
            col,
            "unexpected token; expected an operator or the end",
        ));
    }
    Ok(f)
}

/// Deepest nesting of parentheses a formula may have. Real statements nest
/// a few levels; the bound keeps the recursive-descent parser's stack use
/// small on any thread (the workbench runs lenses on 2 MiB threads).
pub const MAX_NESTING: usize = 64;

/// Longest statement quoted whole in an error; longer ones are quoted as an
/// excerpt around the column.
const QUOTE_MAX: usize = 120;

fn perr(text: &str, col: usize, msg: &str) -> ConflictError {
    let n = text.chars().count();
    let text = if n <= QUOTE_MAX {
        text.to_string()
    } else {
        let from = col.saturating_sub(QUOTE_MAX / 2).min(n - QUOTE_MAX);
        let part: String = text.chars().skip(from).take(QUOTE_MAX).collect();
        format!(
            "{}{part}{}",
            if from > 0 { "…" } else { "" },
            if from + QUOTE_MAX < n { "…" } else { "" }
        )
    };
    ConflictError::Parse {
        text,
        column: col + 1,
        message: msg.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(usize),
    Ident(String),
    /// A quoted option name (or id): `'declare independence'`.
    Quoted(String),
    And,
    Or,
    Not,
    Comma,
    LParen,
    RParen,
    If,
    Iff,
}

fn lex(text: &str) -> Result<Vec<(usize, Tok)>, ConflictError> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                i += 1;
                continue;
            }
            '&' => {
                i += if b.get(i + 1) == Some(&'&') { 2 } else { 1 };
                out.push((start, Tok::And));
            }
            '|' => {
                i += if b.get(i + 1) == Some(&'|') { 2 } else { 1 };
                out.push((start, Tok::Or));
            }
            '!' | '-' | '~' => {
                i += 1;
                out.push((start, Tok::Not));
            }
            ',' => {
                i += 1;
                out.push((start, Tok::Comma));
            }
            '(' => {
                i += 1;
                out.push((start, Tok::LParen));
            }
            '\'' | '"' => {
                let close = b[i + 1..].iter().position(|&x| x == c).ok_or_else(|| {
                    perr(
                        text,
                        start,
                        "unterminated quoted option name; expected a closing quote",
                    )
                })?;
                let name: String = b[i + 1..i + 1 + close].iter().collect();
                i += close + 2;
                out.push((start, Tok::Quoted(name)));
            }
            ')' => {
                i += 1;
                out.push((start, Tok::RParen));
            }
            c if c.is_ascii_digit() => {
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let s: String = b[start..i].iter().collect();
                let n = s
                    .parse::<usize>()
                    .map_err(|_| perr(text, start, "number too large"))?;
                out.push((start, Tok::Num(n)));
            }
            c if c.is_alphabetic() || c == '_' => {
                while i < b.len() && (b[i].is_alphanumeric() || matches!(b[i], '_' | '.')) {
                    i += 1;
                }
                let s: String = b[start..i].iter().collect();
                let tok = match s.to_ascii_lowercase().as_str() {
                    "if" => Tok::If,
                    "iff" => Tok::Iff,
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    _ => Tok::Ident(s),
                };
                out.push((start, tok));
            }
            _ => {
                return Err(perr(
                    text,
                    start,
                    &format!("unexpected character `{c}`; expected an option id, a number, or one of & | ! - , ( ) if iff"),
                ));
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(usize, Tok)>,
    pos: usize,
    /// Parentheses open at the current position.
    depth: usize,
    names: &'a OptionNames<'a>,
}

/// "unknown option `x` (did you mean …); expected one of: …", built out of
/// line so that the recursive parser's frames stay small (deep nesting is
/// parsed on small stacks).
#[cold]
#[inline(never)]
fn unknown(text: &str, col: usize, what: &str, word: &str, known: &[String]) -> ConflictError {
    let (open, close) = if what == "option" {
        ('`', '`')
    } else {
        ('\'', '\'')
    };
    perr(
        text,
        col,
        &format!(
            "unknown {what} {open}{word}{close}{}; expected one of: {}",
            negotium_suggest::did_you_mean(word.trim(), known.iter().map(|k| k.trim())),
            known.join(", ")
        ),
    )
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn col(&self) -> usize {
        self.toks
            .get(self.pos)
            .map(|(c, _)| *c)
            .unwrap_or(self.text.chars().count())
    }
    fn list(&mut self) -> Result<Formula, ConflictError> {
        let mut parts = vec![self.cond()?];
        while self.peek() == Some(&Tok::Comma) {
            self.pos += 1;
            parts.push(self.cond()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Formula::True)
        } else {
            Formula::And(parts)
        })
    }
    fn cond(&mut self) -> Result<Formula, ConflictError> {
        let q = self.or()?;
        match self.peek() {
            Some(Tok::If) => {
                self.pos += 1;
                let p = self.or()?;
                Ok(Formula::Implies(Box::new(p), Box::new(q)))
            }
            Some(Tok::Iff) => {
                self.pos += 1;
                let p = self.or()?;
                Ok(Formula::Iff(Box::new(q), Box::new(p)))
            }
            _ => Ok(q),
        }
    }
    fn or(&mut self) -> Result<Formula, ConflictError> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Formula::True)
        } else {
            Formula::Or(parts)
        })
    }
    fn and(&mut self) -> Result<Formula, ConflictError> {
        let mut parts = vec![self.unary()?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Formula::True)
        } else {
            Formula::And(parts)
        })
    }
    fn unary(&mut self) -> Result<Formula, ConflictError> {
        // A run of negations is counted, not recursed into: `!!!…a` of any
        // length costs one stack frame.
        let mut negated = false;
        while self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            negated = !negated;
        }
        let f = self.atom()?;
        Ok(match f {
            f if !negated => f,
            Formula::Lit { opt, taken } => Formula::Lit { opt, taken: !taken },
            Formula::Not(inner) => *inner,
            other => Formula::Not(Box::new(other)),
        })
    }
    fn atom(&mut self) -> Result<Formula, ConflictError> {
        let col = self.col();
        let Some((_, tok)) = self.toks.get(self.pos).cloned() else {
            return Err(perr(
                self.text,
                col,
                "unexpected end; expected an option id, a number or `(`",
            ));
        };
        self.pos += 1;
        match tok {
            Tok::Num(n) => {
                let m = self.names.grouped.len();
                if n == 0 || n > m {
                    return Err(perr(
                        self.text,
                        col,
                        &format!("option number {n} out of range; expected 1..={m} (options numbered in DM order)"),
                    ));
                }
                Ok(Formula::yes(self.names.grouped[n - 1]))
            }
            Tok::Ident(s) => match self.names.ids.iter().position(|id| *id == s) {
                Some(k) => Ok(Formula::yes(k)),
                None => Err(unknown(self.text, col, "option", &s, self.names.ids)),
            },
            Tok::Quoted(q) => {
                let hit = self.names.ids.iter().position(|id| *id == q).or_else(|| {
                    self.names
                        .names
                        .iter()
                        .position(|n| n.trim().eq_ignore_ascii_case(q.trim()))
                });
                match hit {
                    Some(k) => Ok(Formula::yes(k)),
                    None => Err(unknown(self.text, col, "option name", &q, self.names.names)),
                }
            }
            Tok::LParen => {
                if self.depth >= MAX_NESTING {
                    return Err(perr(
                        self.text,
                        col,
                        &format!("parentheses nested more than {MAX_NESTING} deep; expected a flatter formula"),
                    ));
                }
                self.depth += 1;
                let f = self.list()?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::RParen) {
                    let c = self.col();
                    return Err(perr(self.text, c, "expected `)`"));
                }
                self.pos += 1;
                Ok(f)
            }
            _ => Err(perr(
                self.text,
                col,
                "expected an option id, a number or `(`",
            )),
        }
    }
}
