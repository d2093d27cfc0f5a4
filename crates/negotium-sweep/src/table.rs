//! Every draw of a sweep as tidy (long) tables: one row per draw, issue
//! and model for the forecasts, one row per draw and input for the sampled
//! inputs; join them on `draw`.

use negotium_tabular::{Column, Table, TableError};

use crate::spatial::{Draw, SpatialSweep};

/// `draw, issue, model, forecast, nearest_label` (empty label when the
/// scale has none).
pub fn forecasts(sweep: &SpatialSweep, draws: &[Draw]) -> Result<Table, TableError> {
    let (ni, nm) = (sweep.issues().len(), sweep.models().len());
    let rows = draws.len() * ni * nm;
    let mut draw = Vec::with_capacity(rows);
    let mut issue = Vec::with_capacity(rows);
    let mut model = Vec::with_capacity(rows);
    let mut forecast = Vec::with_capacity(rows);
    let mut label = Vec::with_capacity(rows);
    for d in draws {
        for (j, is) in sweep.issues().iter().enumerate() {
            for (m, spec) in sweep.models().iter().enumerate() {
                let x = d.forecasts[j * nm + m];
                draw.push(d.index);
                issue.push(is.id.clone());
                model.push(spec.name().to_string());
                forecast.push(x);
                label.push(sweep.nearest_label(j, x).unwrap_or("").to_string());
            }
        }
    }
    Table::new(vec![
        ("draw".into(), Column::U64(draw)),
        ("issue".into(), Column::Str(issue)),
        ("model".into(), Column::Str(model)),
        ("forecast".into(), Column::F64(forecast)),
        ("nearest_label".into(), Column::Str(label)),
    ])
}

/// `draw, input, actor, field, issue, value` (empty issue for
/// capabilities).
pub fn inputs(sweep: &SpatialSweep, draws: &[Draw]) -> Result<Table, TableError> {
    let info = sweep.input_info();
    let rows = draws.len() * info.len();
    let mut draw = Vec::with_capacity(rows);
    let mut input = Vec::with_capacity(rows);
    let mut actor = Vec::with_capacity(rows);
    let mut field = Vec::with_capacity(rows);
    let mut issue = Vec::with_capacity(rows);
    let mut value = Vec::with_capacity(rows);
    for d in draws {
        for (i, inf) in info.iter().enumerate() {
            draw.push(d.index);
            input.push(inf.name.clone());
            actor.push(inf.actor.clone());
            field.push(inf.field.clone());
            issue.push(inf.issue.clone().unwrap_or_default());
            value.push(d.inputs[i]);
        }
    }
    Table::new(vec![
        ("draw".into(), Column::U64(draw)),
        ("input".into(), Column::Str(input)),
        ("actor".into(), Column::Str(actor)),
        ("field".into(), Column::Str(field)),
        ("issue".into(), Column::Str(issue)),
        ("value".into(), Column::F64(value)),
    ])
}
