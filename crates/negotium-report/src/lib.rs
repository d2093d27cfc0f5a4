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

/// Formats a number compactly: up to `dp` decimals, trailing zeros trimmed
/// (the analysis crate's, so that labels it writes read the same).
pub use negotium_analysis::verdict::num;
