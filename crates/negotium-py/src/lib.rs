//! negotium-py: the `negotium._native` Python extension module. Marshalling
//! only: it opens sources and runs lenses through `negotium-analysis`
//! (`source::run`, the registry), passing parameters and results as JSON
//! text, and turns errors into Python exceptions. The GIL is released while
//! a source loads or a lens runs. The pure-Python package around it lives
//! in `python/negotium/`.

use std::sync::Arc;

use negotium_analysis::registry::{self, SchemaOf};
use negotium_analysis::source::{self, Source, SourceError};
use negotium_analysis::sweep::{self, SweepBlock, SweepParams, SweepResult};
use negotium_analysis::{power::QuickGame, AnalysisError};
use negotium_scenario::{Format, ScenarioError};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{json, Value};

create_exception!(
    negotium,
    NegotiumError,
    PyException,
    "A negotium run failed. `message` is the located text, `param` the parameter at fault (or None), `exit_code` the CLI's exit code, `diagnostics` a list of located problems (file, line, column, path, message) for scenario errors."
);
create_exception!(
    negotium,
    BadInput,
    NegotiumError,
    "Bad input: a scenario that does not validate, an unknown id, a bad parameter (the CLI's exit code 2)."
);
create_exception!(
    negotium,
    Limit,
    NegotiumError,
    "A job refused for its size or a model limit, before any work (the CLI's exit code 3); the message gives the size and the limit."
);
create_exception!(
    negotium,
    Failed,
    NegotiumError,
    "A run that failed on valid input (the CLI's exit code 1)."
);

/// What an error carries to Python.
struct Failure {
    exit_code: i32,
    param: Option<String>,
    message: String,
    diagnostics: Vec<Value>,
}

/// `params.rounds` → `rounds` (the keyword argument's name).
fn keyword(param: &str) -> String {
    param.strip_prefix("params.").unwrap_or(param).to_string()
}

impl From<AnalysisError> for Failure {
    fn from(e: AnalysisError) -> Self {
        let param = e.param_name().map(keyword);
        let message = match &param {
            Some(p) => format!("{p}: {}", e.message()),
            None => e.message().to_string(),
        };
        Failure {
            exit_code: e.exit_code(),
            param,
            message,
            diagnostics: Vec::new(),
        }
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        // As the CLI prints it (`{:#}`): the error and its causes.
        let mut message = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            message.push_str(&format!(": {c}"));
            cause = c.source();
        }
        let diagnostics = e
            .diagnostics()
            .iter()
            .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
            .collect();
        Failure {
            exit_code: 2,
            param: None,
            message,
            diagnostics,
        }
    }
}

impl From<SourceError> for Failure {
    fn from(e: SourceError) -> Self {
        match e {
            SourceError::Scenario(e) => e.into(),
            SourceError::Lens(e) => e.into(),
        }
    }
}

impl Failure {
    fn into_py(self, py: Python<'_>) -> PyErr {
        let err = match self.exit_code {
            2 => BadInput::new_err(self.message.clone()),
            3 => Limit::new_err(self.message.clone()),
            _ => Failed::new_err(self.message.clone()),
        };
        let set = || -> PyResult<()> {
            let v = err.value(py);
            v.setattr("message", &self.message)?;
            v.setattr("param", self.param.as_deref())?;
            v.setattr("exit_code", self.exit_code)?;
            let diags = PyList::empty(py);
            for d in &self.diagnostics {
                diags.append(json_to_py(py, d)?)?;
            }
            v.setattr("diagnostics", diags)?;
            Ok(())
        };
        match set() {
            Ok(()) => err,
            Err(e) => e,
        }
    }
}

fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    let json = py.import("json")?;
    json.call_method1("loads", (v.to_string(),))
}

/// A Python value as JSON, numbers taken exactly (never through text, so a
/// float is the double Python holds, as the CLI's flag parser reads it):
/// None, bool, int, float, str, lists and tuples, dicts with string keys,
/// `os.PathLike` (its path), and anything with `tolist()` (NumPy values).
fn py_to_json(v: &Bound<'_, PyAny>, at: &str) -> Result<Value, Failure> {
    let bad = |m: String| -> Failure { AnalysisError::param(at, m).into() };
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.to_string()));
    }
    if v.cast::<PyInt>().is_ok()
        || (v.cast::<PyFloat>().is_err() && v.hasattr("__index__").unwrap_or(false))
    {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(bad(format!("the integer {v} is out of range")));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        return serde_json::Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| bad(format!("expected a finite number, got {x}")));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, x) in d.iter() {
            let k: String = k
                .extract()
                .map_err(|_| bad(format!("dict keys must be strings, got {k}")))?;
            let inner = py_to_json(&x, &format!("{at}.{k}"))?;
            m.insert(k, inner);
        }
        return Ok(Value::Object(m));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for (i, x) in v.try_iter().map_err(|e| bad(e.to_string()))?.enumerate() {
            let x = x.map_err(|e| bad(e.to_string()))?;
            out.push(py_to_json(&x, &format!("{at}[{i}]"))?);
        }
        return Ok(Value::Array(out));
    }
    if v.hasattr("__fspath__").unwrap_or(false) {
        let p = v
            .call_method0("__fspath__")
            .and_then(|p| p.extract::<String>())
            .map_err(|e| bad(e.to_string()))?;
        return Ok(Value::String(p));
    }
    if v.hasattr("tolist").unwrap_or(false) {
        let l = v.call_method0("tolist").map_err(|e| bad(e.to_string()))?;
        return py_to_json(&l, at);
    }
    let t = v
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    Err(bad(format!("cannot pass a value of type {t}")))
}

/// A loaded input: a scenario (built-in, TOML, JSON, KTAB CSV), a gmcr-py
/// `.gmcr` model or a GENIUS domain directory.
#[pyclass(frozen, module = "negotium", name = "Scenario")]
struct PyScenario {
    inner: Arc<Source>,
    /// How to rebuild it in another process (pickling, Ray workers).
    origin: Origin,
}

/// A source's own text (scenarios and `.gmcr` files travel as text, so a
/// worker needs no file) or its path (GENIUS directories).
#[derive(Clone)]
enum Origin {
    Text {
        text: String,
        name: String,
        format: &'static str,
    },
    Path(String),
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Toml => "toml",
        Format::Json => "json",
        Format::KtabCsv => "csv",
    }
}

fn origin_of(source: &Source) -> Origin {
    match source {
        Source::Scenario(l) => Origin::Text {
            text: l.source_text.clone(),
            name: l.source_name.clone(),
            format: format_name(l.format),
        },
        Source::Gmcr { path, .. } => match std::fs::read_to_string(path) {
            Ok(text) => Origin::Text {
                text,
                name: path.clone(),
                format: "gmcr",
            },
            Err(_) => Origin::Path(path.clone()),
        },
        Source::Genius { dir, .. } => Origin::Path(dir.display().to_string()),
    }
}

fn open(arg: &str) -> Result<PyScenario, Failure> {
    let inner = Source::open(arg)?;
    let origin = origin_of(&inner);
    Ok(PyScenario {
        inner: Arc::new(inner),
        origin,
    })
}

fn from_text(text: &str, name: &str, format: &str) -> Result<PyScenario, Failure> {
    let inner = match format {
        "toml" | "json" | "csv" => {
            let f = match format {
                "toml" => Format::Toml,
                "json" => Format::Json,
                _ => Format::KtabCsv,
            };
            Source::Scenario(Box::new(negotium_scenario::load_str(text, name, f)?))
        }
        "gmcr" => Source::Gmcr {
            path: name.to_string(),
            model: negotium_analysis::conflict::ConflictModel::from_gmcr(text, name)?,
        },
        other => {
            return Err(AnalysisError::param(
                "format",
                format!("unknown format `{other}`; expected toml, json, csv or gmcr"),
            )
            .into())
        }
    };
    Ok(PyScenario {
        inner: Arc::new(inner),
        origin: Origin::Text {
            text: text.to_string(),
            name: name.to_string(),
            format: match format {
                "toml" => "toml",
                "json" => "json",
                "csv" => "csv",
                _ => "gmcr",
            },
        },
    })
}

/// What the Python object shows: id, title, actors, issues, … as JSON.
fn summary(source: &Source) -> Value {
    match source {
        Source::Scenario(l) => {
            let s = &l.scenario;
            let sections = s.sections();
            json!({
                "kind": "scenario",
                "id": s.scenario.id,
                "title": s.scenario.title,
                "description": s.scenario.description,
                "as_of": s.scenario.as_of,
                "source": l.source_name,
                "actors": s.inputs.actors,
                "issues": s.inputs.issues,
                "sections": sections,
            })
        }
        Source::Gmcr { path, model } => json!({
            "kind": "gmcr",
            "id": std::path::Path::new(path).file_stem().map(|s| s.to_string_lossy().to_string()),
            "title": model.title,
            "description": null,
            "as_of": null,
            "source": path,
            "actors": model.spec.dms.iter().map(|d| json!({"name": d.name})).collect::<Vec<_>>(),
            "issues": model.spec.options.iter().map(|o| json!({"name": o.name, "dm": o.dm})).collect::<Vec<_>>(),
            "sections": ["conflict"],
        }),
        Source::Genius { dir, problem } => {
            let p = &problem.problem;
            json!({
                "kind": "genius",
                "id": dir.file_name().map(|s| s.to_string_lossy().to_string()),
                "title": p.name,
                "description": null,
                "as_of": null,
                "source": dir.display().to_string(),
                "actors": p.parties.iter().map(|x| json!({"name": x.name})).collect::<Vec<_>>(),
                "issues": p.issues.iter().map(|i| json!({"name": i.name})).collect::<Vec<_>>(),
                "sections": ["bargaining"],
            })
        }
    }
}

impl PyScenario {
    fn fact<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &summary(&self.inner)[key])
    }
}

#[pymethods]
impl PyScenario {
    /// `scenario`, `gmcr` or `genius`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.inner.kind()
    }

    /// The scenario's id (a `.gmcr` file's stem, a GENIUS folder's name).
    #[getter]
    fn id<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "id")
    }

    /// Its title (a `.gmcr` file's path, a GENIUS domain's name).
    #[getter]
    fn title<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "title")
    }

    /// Its description, if any.
    #[getter]
    fn description<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "description")
    }

    /// The date the inputs describe (`YYYY[-MM[-DD]]`), if any.
    #[getter]
    fn as_of<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "as_of")
    }

    /// Where it was read from (`kosovo-status.toml (built-in)`, the path).
    #[getter]
    fn source<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "source")
    }

    /// The actors as dicts (`id`, `name`, `capability`, `notes`); the
    /// decision makers of a `.gmcr` model, the parties of a GENIUS domain.
    #[getter]
    fn actors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "actors")
    }

    /// The issues as dicts (`id`, `name`, `min`, `max`, `status_quo`,
    /// `labels`, …); the options of a `.gmcr` model, the issues of a GENIUS domain.
    #[getter]
    fn issues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "issues")
    }

    /// The sections present: `stances`, `conflict`, `institutions`,
    /// `bargaining`, `history`, `outcome`.
    #[getter]
    fn sections<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.fact(py, "sections")
    }

    /// The whole scenario as a dict, in the file format's shape (scenarios only).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &*self.inner {
            Source::Scenario(l) => {
                let v = serde_json::to_value(&l.scenario)
                    .map_err(|e| Failure::from(AnalysisError::failed(e.to_string())).into_py(py))?;
                json_to_py(py, &v)
            }
            _ => Err(PyValueError::new_err(format!(
                "{} is not a scenario file; to_dict() is for scenarios",
                self.inner.name()
            ))),
        }
    }

    fn __repr__(&self) -> String {
        let s = summary(&self.inner);
        let n = |k: &str| s[k].as_array().map_or(0, Vec::len);
        let mut out = format!(
            "<negotium.Scenario {} ({}): {} actor(s), {} issue(s)",
            s["id"].as_str().unwrap_or("?"),
            self.inner.kind(),
            n("actors"),
            n("issues")
        );
        if let Some(d) = s["as_of"].as_str() {
            out.push_str(&format!(", as of {d}"));
        }
        out.push('>');
        out
    }

    /// The text it was read from (scenarios and `.gmcr` files; None for GENIUS directories).
    #[getter]
    fn text(&self) -> Option<String> {
        match &self.origin {
            Origin::Text { text, .. } => Some(text.clone()),
            Origin::Path(_) => None,
        }
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let module = py.import("negotium._native")?;
        let me = slf.get();
        match &me.origin {
            Origin::Text { text, name, format } => {
                let f = module.getattr("_from_text")?;
                PyTuple::new(
                    py,
                    [
                        f.into_any(),
                        PyTuple::new(py, [text.as_str(), name.as_str(), *format])?.into_any(),
                    ],
                )
            }
            Origin::Path(p) => {
                let f = module.getattr("load")?;
                PyTuple::new(
                    py,
                    [f.into_any(), PyTuple::new(py, [p.as_str()])?.into_any()],
                )
            }
        }
    }
}

/// Loads a built-in id or a path (as on the command line).
#[pyfunction]
fn load(py: Python<'_>, source: String) -> PyResult<PyScenario> {
    py.detach(|| open(&source)).map_err(|f| f.into_py(py))
}

/// Loads a scenario (`toml`, `json`, `csv`) or gmcr-py model (`gmcr`) from
/// its text; `name` is used in messages.
#[pyfunction]
#[pyo3(signature = (text, name, format))]
fn _from_text(py: Python<'_>, text: String, name: String, format: String) -> PyResult<PyScenario> {
    py.detach(|| from_text(&text, &name, &format))
        .map_err(|f| f.into_py(py))
}

/// A lens's input: a loaded scenario or a path / built-in id.
#[derive(FromPyObject)]
enum SourceArg {
    Loaded(Py<PyScenario>),
    Path(String),
}

/// Sources as given, ready to open without the GIL.
enum Got {
    Ready(Arc<Source>),
    Path(String),
}

fn got(sources: Vec<SourceArg>) -> Vec<Got> {
    sources
        .into_iter()
        .map(|s| match s {
            SourceArg::Loaded(p) => Got::Ready(p.get().inner.clone()),
            SourceArg::Path(p) => Got::Path(p),
        })
        .collect()
}

/// Opens the sources given as paths (call without the GIL).
fn open_all(got: Vec<Got>) -> Result<Vec<Arc<Source>>, Failure> {
    got.into_iter()
        .map(|g| match g {
            Got::Ready(s) => Ok(s),
            Got::Path(p) => Ok(Arc::new(Source::open(&p)?)),
        })
        .collect()
}

fn to_text(v: &Value) -> Result<String, Failure> {
    serde_json::to_string(v)
        .map_err(|e| AnalysisError::failed(format!("cannot serialise the result: {e}")).into())
}

/// Runs a lens by id on sources (empty: the default scenario) with params
/// (a dict); the result as JSON text (the lens's `--json` contract).
#[pyfunction]
fn run(
    py: Python<'_>,
    lens: String,
    sources: Vec<SourceArg>,
    params: &Bound<'_, PyDict>,
) -> PyResult<String> {
    let params = py_to_json(params.as_any(), "params").map_err(|f| f.into_py(py))?;
    let got = got(sources);
    py.detach(move || -> Result<String, Failure> {
        let loaded = open_all(got)?;
        let refs: Vec<&Source> = loaded.iter().map(|s| &**s).collect();
        to_text(&source::run_json(&lens, &refs, &params)?)
    })
    .map_err(|f| f.into_py(py))
}

/// The number of negotiations of a tournament (sharding).
#[pyfunction]
fn _tournament_jobs(
    py: Python<'_>,
    sources: Vec<SourceArg>,
    params: &Bound<'_, PyDict>,
) -> PyResult<usize> {
    let params = py_to_json(params.as_any(), "params").map_err(|f| f.into_py(py))?;
    let got = got(sources);
    py.detach(move || -> Result<usize, Failure> {
        let loaded = open_all(got)?;
        let refs: Vec<&Source> = loaded.iter().map(|s| &**s).collect();
        Ok(source::tournament_jobs(&refs, &params)?)
    })
    .map_err(|f| f.into_py(py))
}

/// The records of negotiations `start..end` of a tournament, as JSON text.
#[pyfunction]
fn _tournament_block(
    py: Python<'_>,
    sources: Vec<SourceArg>,
    params: &Bound<'_, PyDict>,
    start: usize,
    end: usize,
) -> PyResult<String> {
    let params = py_to_json(params.as_any(), "params").map_err(|f| f.into_py(py))?;
    let got = got(sources);
    py.detach(move || -> Result<String, Failure> {
        let loaded = open_all(got)?;
        let refs: Vec<&Source> = loaded.iter().map(|s| &**s).collect();
        to_text(&source::tournament_block(&refs, &params, start..end)?)
    })
    .map_err(|f| f.into_py(py))
}

/// The whole tournament's result (JSON text) from every block's records
/// (a list of record lists, as `json.loads` gives them: the numbers are
/// taken exactly, never re-parsed from text).
#[pyfunction]
fn _tournament_merge(
    py: Python<'_>,
    sources: Vec<SourceArg>,
    params: &Bound<'_, PyDict>,
    blocks: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let params = py_to_json(params.as_any(), "params").map_err(|f| f.into_py(py))?;
    let blocks = py_to_json(blocks, "blocks").map_err(|f| f.into_py(py))?;
    let got = got(sources);
    py.detach(move || -> Result<String, Failure> {
        let loaded = open_all(got)?;
        let refs: Vec<&Source> = loaded.iter().map(|s| &**s).collect();
        to_text(&source::tournament_merge(&refs, &params, blocks)?)
    })
    .map_err(|f| f.into_py(py))
}

/// The sweep's scenario: the one source given (or the default scenario).
/// A source that is not a scenario gets the registry's own refusal.
fn sweep_source(sources: &[Arc<Source>], params: &Value) -> Result<Arc<Source>, Failure> {
    let one = match sources {
        [] => Arc::new(Source::default_scenario()?),
        [s] => s.clone(),
        _ => {
            return Err(AnalysisError::input(format!(
                "the sweep lens takes one source, got {}",
                sources.len()
            ))
            .into())
        }
    };
    if !matches!(&*one, Source::Scenario(_)) {
        // The registry's message for this kind of source.
        source::run("sweep", &[&*one], params)?;
        return Err(AnalysisError::input("the sweep lens takes a scenario").into());
    }
    Ok(one)
}

/// Files by name (`STEM.parquet`, `STEM.csv`) with their bytes.
type Files = Vec<(String, Vec<u8>)>;
/// The same as Python bytes.
type PyFiles<'py> = Vec<(String, Bound<'py, PyBytes>)>;

fn loaded(s: &Source) -> Result<&negotium_scenario::Loaded, Failure> {
    match s {
        Source::Scenario(l) => Ok(l),
        _ => Err(AnalysisError::input("the sweep lens takes a scenario").into()),
    }
}

fn sweep_params(params: &Value) -> Result<SweepParams, Failure> {
    Ok(registry::parse_params(params)?)
}

/// One block of a sweep (`first_draw`, `block_draws` in params): the block
/// (`negotium_analysis::sweep::run_block`, not summarised) as JSON text
/// and, with `tables`, its per-draw tables as (file name, bytes):
/// `STEM.parquet` and `STEM.csv`, as `negotium sweep --out` writes them.
#[pyfunction]
#[pyo3(signature = (sources, params, tables = false))]
fn _sweep_block<'py>(
    py: Python<'py>,
    sources: Vec<SourceArg>,
    params: &Bound<'py, PyDict>,
    tables: bool,
) -> PyResult<(String, PyFiles<'py>)> {
    let params = py_to_json(params.as_any(), "params").map_err(|f| f.into_py(py))?;
    let got = got(sources);
    let (text, files) = py
        .detach(move || -> Result<(String, Files), Failure> {
            let loaded_all = open_all(got)?;
            let src = sweep_source(&loaded_all, &params)?;
            let scenario = loaded(&src)?;
            let p = sweep_params(&params)?;
            let block = sweep::run_block(scenario, &p, &|_| {})?;
            let mut files = Vec::new();
            if tables {
                let failed = |e: negotium_tabular::TableError| {
                    Failure::from(AnalysisError::failed(e.to_string()))
                };
                for (stem, t) in sweep::tables(scenario, &p, &block)? {
                    let (mut pq, mut csv) = (Vec::new(), Vec::new());
                    t.write_parquet(&mut pq).map_err(failed)?;
                    t.write_csv(&mut csv).map_err(failed)?;
                    files.push((format!("{stem}.parquet"), pq));
                    files.push((format!("{stem}.csv"), csv));
                }
            }
            let text = serde_json::to_string(&block).map_err(|e| {
                Failure::from(AnalysisError::failed(format!(
                    "cannot serialise the block: {e}"
                )))
            })?;
            Ok((text, files))
        })
        .map_err(|f| f.into_py(py))?;
    let files = files
        .into_iter()
        .map(|(stem, b)| (stem, PyBytes::new(py, &b)))
        .collect();
    Ok((text, files))
}

/// The whole sweep's result from blocks of `_sweep_block` (JSON texts, any
/// order) and the whole sweep's params (`sweep::merge`): its JSON text (as
/// `run` gives it) and, with `pretty`, also indented as `negotium sweep
/// --out` writes summary.json (one merge for both).
#[pyfunction]
#[pyo3(signature = (sources, params, blocks, pretty = false))]
fn _sweep_merge(
    py: Python<'_>,
    sources: Vec<SourceArg>,
    params: &Bound<'_, PyDict>,
    blocks: Vec<String>,
    pretty: bool,
) -> PyResult<(String, Option<String>)> {
    let params = py_to_json(params.as_any(), "params").map_err(|f| f.into_py(py))?;
    let got = got(sources);
    py.detach(move || -> Result<(String, Option<String>), Failure> {
        let loaded_all = open_all(got)?;
        let src = sweep_source(&loaded_all, &params)?;
        let p = sweep_params(&params)?;
        let blocks = blocks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                serde_json::from_str::<SweepBlock>(t).map_err(|e| {
                    Failure::from(AnalysisError::param(
                        "blocks",
                        format!("block {} is not a sweep block: {e}", i + 1),
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let r = sweep::merge(loaded(&src)?, &p, &blocks)?;
        let indented = if pretty {
            Some(sweep_text(&r, true)?)
        } else {
            None
        };
        Ok((sweep_text(&r, false)?, indented))
    })
    .map_err(|f| f.into_py(py))
}

/// A sweep result as text: compact through a JSON value, as `run` gives
/// every lens's result (so the text equals `negotium.sweep`'s), or
/// `pretty` from the struct, as `negotium sweep --out` writes summary.json.
fn sweep_text(r: &SweepResult, pretty: bool) -> Result<String, Failure> {
    let t = if pretty {
        serde_json::to_string_pretty(r)
    } else {
        serde_json::to_value(r).and_then(|v| serde_json::to_string(&v))
    };
    t.map_err(|e| AnalysisError::failed(format!("cannot serialise the result: {e}")).into())
}

/// The whole sweep's result (JSON text) from the results of sharded
/// `sweep` calls (dicts with their `block`, any order) and the whole
/// sweep's params (`sweep::merge_results`); numbers taken exactly.
#[pyfunction]
fn _merge_sweeps(
    py: Python<'_>,
    sources: Vec<SourceArg>,
    params: &Bound<'_, PyDict>,
    parts: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let params = py_to_json(params.as_any(), "params").map_err(|f| f.into_py(py))?;
    let parts = py_to_json(parts, "parts").map_err(|f| f.into_py(py))?;
    let got = got(sources);
    py.detach(move || -> Result<String, Failure> {
        let Value::Array(parts) = parts else {
            return Err(AnalysisError::param("parts", "expected a list of sweep results").into());
        };
        let results = parts
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                serde_json::from_value::<SweepResult>(v).map_err(|e| {
                    Failure::from(AnalysisError::param(
                        "parts",
                        format!("part {} is not a sweep result: {e}", i + 1),
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let loaded_all = open_all(got)?;
        let src = sweep_source(&loaded_all, &params)?;
        let p = sweep_params(&params)?;
        let r = sweep::merge_results(loaded(&src)?, &p, &results)?;
        sweep_text(&r, false)
    })
    .map_err(|f| f.into_py(py))
}

/// A result's key numbers (`registry::key_numbers`: a few numbers to
/// compare runs, by name), from and to JSON text.
#[pyfunction]
fn _key_numbers(py: Python<'_>, lens: &str, result: &str) -> PyResult<String> {
    let v: Value = serde_json::from_str(result).map_err(|e| {
        Failure::from(AnalysisError::param("result", format!("not JSON: {e}"))).into_py(py)
    })?;
    let k = registry::key_numbers(lens, &v);
    to_text(&json!(k)).map_err(|f| f.into_py(py))
}

/// Every lens's metadata (registry order) as JSON text.
#[pyfunction]
fn lenses() -> String {
    serde_json::to_string(&registry::lenses()).unwrap_or_else(|_| "[]".into())
}

/// Every lens id, in registry order.
#[pyfunction]
fn lens_ids() -> Vec<&'static str> {
    registry::LENSES.to_vec()
}

/// A lens's JSON Schema as text: `of` is `result` or `params`; None for an unknown lens.
#[pyfunction]
#[pyo3(signature = (lens, of = "result"))]
fn schema(lens: &str, of: &str) -> PyResult<Option<String>> {
    let of = match of {
        "result" => SchemaOf::Result,
        "params" => SchemaOf::Params,
        other => {
            return Err(PyValueError::new_err(format!(
                "schema: expected `result` or `params`, got `{other}`"
            )))
        }
    };
    Ok(registry::schema(lens, of).map(|s| s.to_value().to_string()))
}

/// The JSON Schema of a quick weighted game's keys (power without a scenario).
#[pyfunction]
fn quick_game_schema() -> String {
    schemars_value::<QuickGame>().to_string()
}

fn schemars_value<T: schemars::JsonSchema>() -> Value {
    schemars::schema_for!(T).to_value()
}

/// One typed column: every non-blank cell an integer, else a number, else a
/// boolean, else text; blank cells are null.
fn column(cells: Vec<String>) -> Value {
    let filled = || cells.iter().filter(|c| !c.is_empty());
    let conv: &dyn Fn(&str) -> Value = if filled().all(|c| c.parse::<i64>().is_ok()) {
        &|c| c.parse::<i64>().map(Value::from).unwrap_or(Value::Null)
    } else if filled().all(|c| c.parse::<f64>().is_ok()) {
        &|c| c.parse::<f64>().map(Value::from).unwrap_or(Value::Null)
    } else if filled().all(|c| c == "true" || c == "false") {
        &|c| Value::Bool(c == "true")
    } else {
        &|c| Value::from(c)
    };
    Value::Array(
        cells
            .iter()
            .map(|c| if c.is_empty() { Value::Null } else { conv(c) })
            .collect(),
    )
}

fn typed_table(header: Vec<String>, rows: Vec<Vec<String>>) -> Value {
    let mut cols: Vec<Vec<String>> = vec![Vec::with_capacity(rows.len()); header.len()];
    for r in rows {
        for (j, c) in r.into_iter().enumerate().take(header.len()) {
            cols[j].push(c);
        }
    }
    let data: serde_json::Map<String, Value> = header
        .iter()
        .cloned()
        .zip(cols.into_iter().map(column))
        .collect();
    json!({"columns": header, "data": data})
}

fn csv_table(text: &str) -> Result<Value, String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.map(|x| x.iter().map(String::from).collect()))
        .collect::<Result<Vec<Vec<String>>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(typed_table(header, rows))
}

/// The tidy tables of a lens's result (a dict) as JSON text:
/// `{name: {"columns": [...], "data": {column: [cells]}}}`. `table` is the
/// registry's table (the workbench's CSV); the tournament adds `records`
/// (one row per negotiation and party, the CLI's PREFIX.csv).
#[pyfunction]
fn tables(py: Python<'_>, lens: &str, result: &Bound<'_, PyAny>) -> PyResult<String> {
    let v = py_to_json(result, "result").map_err(|f| f.into_py(py))?;
    let mut out = serde_json::Map::new();
    if let Some(t) = registry::table(lens, &v) {
        out.insert("table".into(), typed_table(t.header, t.rows));
    }
    if lens == "tournament" {
        let r: negotium_analysis::tournament::TournamentResult = serde_json::from_value(v)
            .map_err(|e| PyValueError::new_err(format!("not a tournament result: {e}")))?;
        out.insert(
            "records".into(),
            csv_table(&r.records_csv()).map_err(PyValueError::new_err)?,
        );
    }
    Ok(Value::Object(out).to_string())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", negotium_analysis::VERSION)?;
    m.add("DEFAULT_SCENARIO", source::DEFAULT_SCENARIO)?;
    m.add("NegotiumError", py.get_type::<NegotiumError>())?;
    m.add("BadInput", py.get_type::<BadInput>())?;
    m.add("Limit", py.get_type::<Limit>())?;
    m.add("Failed", py.get_type::<Failed>())?;
    m.add_class::<PyScenario>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(_from_text, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(lenses, m)?)?;
    m.add_function(wrap_pyfunction!(lens_ids, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(quick_game_schema, m)?)?;
    m.add_function(wrap_pyfunction!(tables, m)?)?;
    m.add_function(wrap_pyfunction!(_key_numbers, m)?)?;
    m.add_function(wrap_pyfunction!(_tournament_jobs, m)?)?;
    m.add_function(wrap_pyfunction!(_tournament_block, m)?)?;
    m.add_function(wrap_pyfunction!(_tournament_merge, m)?)?;
    m.add_function(wrap_pyfunction!(_sweep_block, m)?)?;
    m.add_function(wrap_pyfunction!(_sweep_merge, m)?)?;
    m.add_function(wrap_pyfunction!(_merge_sweeps, m)?)?;
    Ok(())
}
