//! Seeded mutations of seed inputs. Case `index` of run `seed` is a pure
//! function of the two numbers and the seed list (ChaCha8, one stream per
//! case), so any case can be regenerated from its numbers alone.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::seeds::{Kind, Seed};

/// Inputs larger than this are cut to it (the loaders' own size checks are
/// exercised well below it).
pub const MAX_INPUT: usize = 4 << 20;

/// One generated input.
#[derive(Debug, Clone)]
pub struct Case {
    pub kind: Kind,
    /// The seed it was derived from.
    pub seed_name: String,
    /// The mutations applied, in order, in words.
    pub ops: Vec<String>,
    pub text: String,
}

/// Numbers that sit on an edge: overflow, non-finite, limits of the loaders.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "0.1",
    "1e308",
    "-1e308",
    "1e309",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "+inf",
    "NaN",
    "Infinity",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "4294967295",
    "4294967296",
    "2147483648",
    "65536",
    "99999999999999999999999",
    "1e-320",
    "5e-324",
    "1000000",
    "100000000",
    "1e15",
    "1e16",
    "250",
    "251",
    "100",
    "101",
    "2",
    "3",
    "64",
    "65",
];

/// Nesting depths tried: around the formula bound, the workbench's crash
/// (≈ 1,500) and the CLI's (20,000 parentheses, 100,000 `!`).
const DEPTHS: &[usize] = &[63, 64, 65, 128, 129, 1_500, 20_000, 100_000];

/// Lengths of long strings: around the 16-bit formatting width and beyond.
const LONG: &[usize] = &[256, 65_535, 65_536, 70_000, 300_000];

/// Bytes that matter to some syntax.
const BYTES: &[u8] = b"\"'[]{},=\n\r\t0-.e<>/()!&|#:\\ \x00\xff";

/// Token soup that formulas are made of.
const FORMULA_TOKENS: &[&str] = &[
    "go",
    "talk",
    "stop",
    "a",
    "&",
    "|",
    "!",
    "-",
    "(",
    ")",
    "if",
    "iff",
    "1",
    "2",
    "-3",
    "0",
    "99999999999999999999",
    ",",
    "'open talks'",
    "\"",
    "Y",
    "N",
    "YNY",
    "---",
    "not",
    "and",
];

/// Generates case `index` of a run with `seed` from `seeds`.
pub fn case(seed: u64, index: u64, seeds: &[Seed]) -> Case {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    let mut kinds: Vec<Kind> = seeds.iter().map(|s| s.kind).collect();
    kinds.sort();
    kinds.dedup();
    let kind = kinds[rng.random_range(0..kinds.len())];
    let same: Vec<&Seed> = seeds.iter().filter(|s| s.kind == kind).collect();
    let base = same[rng.random_range(0..same.len())];
    let mut b = base.text.clone().into_bytes();
    let n_ops = rng.random_range(1..=4);
    let mut ops = Vec::new();
    for _ in 0..n_ops {
        ops.push(mutate_once(&mut rng, &mut b, kind, &same));
        b.truncate(MAX_INPUT);
    }
    Case {
        kind,
        seed_name: base.name.clone(),
        ops,
        text: String::from_utf8_lossy(&b).into_owned(),
    }
}

fn pos(rng: &mut ChaCha8Rng, b: &[u8]) -> usize {
    rng.random_range(0..=b.len())
}

/// Spans of number tokens (digits, with sign, point and exponent).
fn numbers(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'));
        if starts {
            let s = if i > 0 && (b[i - 1] == b'-' || b[i - 1] == b'+') {
                i - 1
            } else {
                i
            };
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_digit() || b".eE+-_".contains(&b[j])) {
                j += 1;
            }
            out.push((s, j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Spans of the contents of double-quoted strings (one line each).
fn strings(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        match (c, open) {
            (b'"', None) => open = Some(i + 1),
            (b'"', Some(s)) => {
                out.push((s, i));
                open = None;
            }
            (b'\n', Some(_)) => open = None,
            _ => {}
        }
    }
    out
}

fn lines(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            out.push((s, i + 1));
            s = i + 1;
        }
    }
    if s < b.len() {
        out.push((s, b.len()));
    }
    out
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, v: &[T]) -> Option<T> {
    (!v.is_empty()).then(|| v[rng.random_range(0..v.len())])
}

fn splice(b: &mut Vec<u8>, range: (usize, usize), with: &[u8]) {
    b.splice(range.0..range.1, with.iter().copied());
}

/// Nested text of `depth` levels around `inner`, in the syntax of `kind`.
fn nested(rng: &mut ChaCha8Rng, kind: Kind, depth: usize, inner: &[u8]) -> Vec<u8> {
    let (open, close): (&[u8], &[u8]) = match kind {
        Kind::Gmcr if rng.random_bool(0.5) => (b"{\"compound\":true,\"members\":[", b"]}"),
        Kind::Toml | Kind::Json | Kind::Gmcr => (b"[", b"]"),
        Kind::Ktab => (b"\"", b"\""),
        Kind::GeniusDomain | Kind::GeniusProfile => (b"<issue index=\"1\">", b"</issue>"),
    };
    let mut v = Vec::with_capacity(depth * (open.len() + close.len()) + inner.len());
    for _ in 0..depth {
        v.extend_from_slice(open);
    }
    v.extend_from_slice(inner);
    for _ in 0..depth {
        v.extend_from_slice(close);
    }
    v
}

/// Applies one mutation and says which.
fn mutate_once(rng: &mut ChaCha8Rng, b: &mut Vec<u8>, kind: Kind, same: &[&Seed]) -> String {
    match rng.random_range(0..15) {
        0 if !b.is_empty() => {
            let i = rng.random_range(0..b.len());
            let bit = rng.random_range(0..8);
            b[i] ^= 1 << bit;
            format!("flip bit {bit} of byte {i}")
        }
        1 if !b.is_empty() => {
            let i = rng.random_range(0..b.len());
            b[i] = BYTES[rng.random_range(0..BYTES.len())];
            format!("set byte {i} to {:?}", b[i] as char)
        }
        2 => {
            let i = pos(rng, b);
            b.truncate(i);
            format!("truncate at {i}")
        }
        3 if !b.is_empty() => {
            let i = rng.random_range(0..b.len());
            let j = (i + rng.random_range(1..=64)).min(b.len());
            b.drain(i..j);
            format!("delete {i}..{j}")
        }
        4 if !b.is_empty() => {
            let i = rng.random_range(0..b.len());
            let j = (i + rng.random_range(1..=256)).min(b.len());
            let chunk = b[i..j].to_vec();
            let at = pos(rng, b);
            splice(b, (at, at), &chunk);
            format!("copy {i}..{j} to {at}")
        }
        5 => match pick(rng, &lines(b)) {
            Some((s, e)) => {
                let line = b[s..e].to_vec();
                splice(b, (e, e), &line);
                format!("duplicate line at {s}")
            }
            None => "no line to duplicate".into(),
        },
        6 => {
            let ls = lines(b);
            match (pick(rng, &ls), pick(rng, &ls)) {
                (Some(x), Some(y)) if x.1 <= y.0 => {
                    let (lx, ly) = (b[x.0..x.1].to_vec(), b[y.0..y.1].to_vec());
                    splice(b, y, &lx);
                    splice(b, x, &ly);
                    format!("swap lines at {} and {}", x.0, y.0)
                }
                _ => "no lines to swap".into(),
            }
        }
        7 => {
            let other = same[rng.random_range(0..same.len())].text.as_bytes();
            let i = rng.random_range(0..=other.len());
            let j = (i + rng.random_range(0..=512)).min(other.len());
            let at = pos(rng, b);
            let end = (at + rng.random_range(0..=64)).min(b.len());
            splice(b, (at, end), &other[i..j]);
            format!("splice {i}..{j} of another seed over {at}..{end}")
        }
        8 => match pick(rng, &numbers(b)) {
            Some(span) => {
                let n = NUMBERS[rng.random_range(0..NUMBERS.len())];
                splice(b, span, n.as_bytes());
                format!("number at {} -> {n}", span.0)
            }
            None => "no number to replace".into(),
        },
        9 => {
            let depth = DEPTHS[rng.random_range(0..DEPTHS.len())];
            // A formula nested inside a string, or the document's own nesting.
            let strs = strings(b);
            if rng.random_bool(0.5) && !strs.is_empty() {
                let (s, e) = strs[rng.random_range(0..strs.len())];
                let inner = b[s..e].to_vec();
                let neg = rng.random_bool(0.3);
                let mut v = Vec::new();
                if neg {
                    v.extend(std::iter::repeat_n(b'!', depth));
                    v.extend_from_slice(&inner);
                } else {
                    v.extend(std::iter::repeat_n(b'(', depth));
                    v.extend_from_slice(&inner);
                    v.extend(std::iter::repeat_n(b')', depth));
                }
                splice(b, (s, e), &v);
                format!(
                    "string at {s} wrapped in {depth} {}",
                    if neg { "`!`" } else { "parentheses" }
                )
            } else {
                let span = pick(rng, &numbers(b)).unwrap_or((0, 0));
                let inner = b[span.0..span.1].to_vec();
                let v = nested(rng, kind, depth, &inner);
                splice(b, span, &v);
                format!("value at {} nested {depth} deep", span.0)
            }
        }
        10 => {
            let len = LONG[rng.random_range(0..LONG.len())];
            let at = match pick(rng, &strings(b)) {
                Some((s, _)) => s,
                None => pos(rng, b),
            };
            let long = vec![b'x'; len];
            splice(b, (at, at), &long);
            format!("{len} characters inserted at {at}")
        }
        11 => {
            let at = pos(rng, b);
            let junk: Vec<u8> = match rng.random_range(0..3) {
                0 => (0..rng.random_range(1..=16))
                    .map(|_| rng.random())
                    .collect(),
                1 => ["é", "\u{202e}", "\u{0}", "💥", "\u{feff}", "Ω≈ç"][rng.random_range(0..6)]
                    .as_bytes()
                    .to_vec(),
                _ => b"\r\n".to_vec(),
            };
            splice(b, (at, at), &junk);
            format!("{} junk bytes at {at}", junk.len())
        }
        12 => match pick(rng, &strings(b)) {
            Some(span) => {
                let n = rng.random_range(1..=12);
                let soup: Vec<&str> = (0..n)
                    .map(|_| FORMULA_TOKENS[rng.random_range(0..FORMULA_TOKENS.len())])
                    .collect();
                let t = soup.join(" ").replace('"', "'");
                splice(b, span, t.as_bytes());
                format!("string at {} -> formula soup `{t}`", span.0)
            }
            None => "no string for a formula".into(),
        },
        13 => {
            // A fresh seed with several numbers changed, from end to start
            // so the spans stay valid: combinations (every salience 0, …).
            let other = same[rng.random_range(0..same.len())].text.clone();
            *b = other.into_bytes();
            let spans = numbers(b);
            let k = rng.random_range(2..=6).min(spans.len());
            let mut picked: Vec<(usize, usize)> =
                (0..k).filter_map(|_| pick(rng, &spans)).collect();
            picked.sort();
            picked.dedup();
            let n = NUMBERS[rng.random_range(0..NUMBERS.len())];
            for &span in picked.iter().rev() {
                splice(b, span, n.as_bytes());
            }
            format!("fresh seed, {} numbers -> {n}", picked.len())
        }
        _ => {
            // A whole different seed's text with one number changed: keeps
            // some cases close to valid so the lenses run.
            let other = same[rng.random_range(0..same.len())].text.clone();
            *b = other.into_bytes();
            match pick(rng, &numbers(b)) {
                Some(span) => {
                    let n = NUMBERS[rng.random_range(0..NUMBERS.len())];
                    splice(b, span, n.as_bytes());
                    format!("fresh seed, number at {} -> {n}", span.0)
                }
                None => "fresh seed".into(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_is_a_function_of_seed_and_index() {
        let seeds = crate::seeds::all();
        for i in 0..50 {
            let a = case(7, i, &seeds);
            let b = case(7, i, &seeds);
            assert_eq!((a.kind, &a.text, &a.ops), (b.kind, &b.text, &b.ops));
        }
        let differ = (0..50).filter(|&i| case(7, i, &seeds).text != case(8, i, &seeds).text);
        assert!(differ.count() > 40);
    }

    #[test]
    fn number_tokens_are_found_with_their_sign() {
        let b = b"x = -12.5e3, y = a1, z = [4]";
        let spans: Vec<&[u8]> = numbers(b).iter().map(|&(s, e)| &b[s..e]).collect();
        assert_eq!(spans, [&b"-12.5e3"[..], b"4"]);
    }
}
