//! Dates on a time axis: [`year_of`] (the report's timeline chart is
//! [`super::read::timeline`]).

/// Fractional year of a `YYYY[-MM[-DD]]` date (None if unparsable).
pub fn year_of(date: &str) -> Option<f64> {
    let mut it = date.trim().split('-');
    let y: f64 = it.next()?.parse().ok()?;
    let m: f64 = it.next().map(|m| m.parse().ok()).unwrap_or(Some(1.0))?;
    let d: f64 = it.next().map(|d| d.parse().ok()).unwrap_or(Some(1.0))?;
    if !(1.0..=12.0).contains(&m) || !(1.0..=31.0).contains(&d) {
        return None;
    }
    Some(y + (m - 1.0) / 12.0 + (d - 1.0) / 365.0)
}
