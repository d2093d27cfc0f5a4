//! negotium-report: turns results into text for people. Pure: data in,
//! `String` out; no files, terminals or HTTP.

pub mod advise;
pub mod analyze;
pub mod backtest;
pub mod conflict;
pub mod dated;
pub mod forecast;
pub mod glossary;
pub mod history;
pub mod html;
pub mod negotiate;
pub mod power;
pub mod replay;
pub mod report_html;
pub mod svg;
pub mod sweep;
pub mod table;

pub use table::{fit, label_width, pad, Align, Table, MAX_CELL};

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
