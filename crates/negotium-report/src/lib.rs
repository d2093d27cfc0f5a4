//! negotium-report: turns results into text for people. Pure: data in,
//! `String` out; no files, terminals or HTTP.

pub mod forecast;
pub mod history;
pub mod html;
pub mod svg;
pub mod table;

pub use table::{Align, Table};

/// Formats a number compactly: up to `dp` decimals, trailing zeros trimmed.
pub fn num(x: f64, dp: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{x:.dp$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}
