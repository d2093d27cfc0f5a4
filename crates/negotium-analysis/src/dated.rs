//! Reading a scenario as of a date: the `as_of` parameter of the lenses that
//! read stances or capabilities (forecast, vote, analyze). Lenses that read
//! neither (conflict: GMCR preferences; negotiate, pareto, tournament:
//! bargaining utilities; power: institution weights; history) have none.

use std::borrow::Cow;

use negotium_scenario::Loaded;

use crate::AnalysisError;

/// The scenario with the stances and capabilities in force on `as_of`
/// (`YYYY-MM-DD`); `None` or blank: the scenario as loaded, i.e. at its own
/// `as_of`. A malformed date, or one before the scenario's earliest date,
/// is a [`AnalysisError::BadInput`] naming `as_of`.
pub fn at<'a>(scenario: &'a Loaded, as_of: Option<&str>) -> Result<Cow<'a, Loaded>, AnalysisError> {
    let Some(date) = as_of.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(Cow::Borrowed(scenario));
    };
    let s = scenario
        .scenario
        .at(date)
        .map_err(|e| AnalysisError::param("as_of", format!("{e} (in {})", scenario.source_name)))?;
    Ok(Cow::Owned(Loaded {
        scenario: s,
        source_name: scenario.source_name.clone(),
        source_text: scenario.source_text.clone(),
        format: scenario.format,
    }))
}

/// The dated stance and capability entries in force on `as_of` (default:
/// the scenario's `as_of`): for each actor and issue (or actor's
/// capability), the latest dated change on or before the date, in date
/// order. Empty for a scenario without dated inputs or without a date.
pub fn in_force(scenario: &Loaded, as_of: Option<&str>) -> Vec<negotium_scenario::Change> {
    use negotium_scenario::validate::parse_date;
    let s = &scenario.scenario;
    let date = as_of
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .or(s.scenario.as_of.as_deref());
    let Some(key) = date.and_then(parse_date) else {
        return Vec::new();
    };
    let changes = s.changes();
    let mut out: Vec<negotium_scenario::Change> = Vec::new();
    // `changes` is in date order: a later change of the same input replaces
    // the earlier one.
    for c in changes {
        if parse_date(&c.date).is_none_or(|k| k > key) {
            continue;
        }
        out.retain(|o| !(o.kind == c.kind && o.actor == c.actor && o.issue == c.issue));
        out.push(c);
    }
    out
}
