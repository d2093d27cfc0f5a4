//! `negotium conflict`: the strategic conflict (GMCR) lens — option form,
//! equilibria per stability concept, per-DM stability, reasons, status-quo,
//! coalition, inverse and limited-move analyses, for a scenario's
//! `[conflict]` section or a gmcr-py `.gmcr` file.

use std::fmt::Write as _;

use clap::Args;
use negotium_conflict::coalition::{coalition_improvements, partition_stability};
use negotium_conflict::explain::explain;
use negotium_conflict::formula::{parse, OptionNames};
use negotium_conflict::inverse::{inverse, InverseMode};
use negotium_conflict::limited::limited_move;
use negotium_conflict::status_quo::reach;
use negotium_conflict::{
    analyze, Concept, ConceptResult, Conflict, ConflictSpec, Formula, Semantics, Step,
};
use negotium_scenario::Scenario;
use serde_json::{json, Value};

use super::input_error;

#[derive(Args, Debug)]
pub struct ConflictArgs {
    /// Built-in scenario id, scenario file, or a gmcr-py `.gmcr` file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Stability concepts, comma-separated: nash, gmr, smr, seq, sim, seq_sim.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "nash,gmr,smr,seq,sim,seq_sim"
    )]
    pub concepts: Vec<String>,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Coalition analysis for these DMs joined by `+` (ids or names, e.g. `USA+EU`); repeatable.
    /// Reports the coalitional improvements from each equilibrium.
    #[arg(long)]
    pub coalition: Vec<String>,
    /// gmcr-py's coalition semantics: a partition of all DMs into blocs that act
    /// as one DM, e.g. `USA+EU,SRB,KOS,RUS`; stability is recomputed for the blocs.
    #[arg(long)]
    pub partition: Option<String>,
    /// Status quo: a state number or a formula over option ids (default: the
    /// scenario's `status_quo`). Reports reachable states and legal paths.
    #[arg(long)]
    pub status_quo: Option<String>,
    /// Status-quo analysis by unilateral improvements only.
    #[arg(long)]
    pub improvements_only: bool,
    /// Inverse analysis: the desired state (number or formula).
    #[arg(long)]
    pub inverse: Option<String>,
    /// Window of tie-group positions to permute, `A..B` (1-based, inclusive) for
    /// every DM, or `DM=A..B` for one DM; repeatable.
    #[arg(long)]
    pub vary: Vec<String>,
    /// Count profiles as GMCR+ (gmcr-py) does (its inverse decides GMR/SEQ/SMR by the last improvement).
    #[arg(long)]
    pub inverse_gmcr_py: bool,
    /// gmcr-py's stricter sanctions for 3+ DMs (each opponent moves at most once).
    #[arg(long)]
    pub gmcr_py: bool,
    /// Explain these states (numbers or formulas): why each is or is not stable for every DM.
    #[arg(long)]
    pub explain: Vec<String>,
    /// Limited-move stability L_1..L_H (two DMs only).
    #[arg(long)]
    pub limited: Option<usize>,
    /// Show every feasible state in the option-form table, not only equilibria.
    #[arg(long)]
    pub all_states: bool,
}

/// What the command analyses: a built conflict and the names that go with it.
struct Source {
    title: String,
    spec: ConflictSpec,
    conflict: Conflict,
    status_quo: Option<Formula>,
    historical: Option<Formula>,
}

fn load(arg: Option<&str>) -> anyhow::Result<Source> {
    if let Some(path) = arg.filter(|a| a.to_ascii_lowercase().ends_with(".gmcr")) {
        let text = std::fs::read_to_string(path)
            .map_err(|e| input_error(format!("cannot read {path}: {e}")))?;
        let m = negotium_scenario::gmcr::parse_gmcr(&text, path)
            .map_err(|e| input_error(e.to_string()))?;
        let conflict = Conflict::build(&m.spec).map_err(|e| input_error(format!("{path}: {e}")))?;
        return Ok(Source {
            title: path.to_string(),
            spec: m.spec,
            conflict,
            status_quo: None,
            historical: None,
        });
    }
    let loaded = super::load_scenario(arg)?;
    let sc = &loaded.scenario;
    let Some(sec) = &sc.inputs.conflict else {
        return Err(input_error(format!(
            "{} has no [conflict] section; add one (see docs/conflict.md) or pass a .gmcr file",
            loaded.source_name
        )));
    };
    let input = sec
        .to_input()
        .map_err(|e| input_error(format!("{}: {e}", loaded.source_name)))?;
    let conflict = Conflict::build(&input.spec)
        .map_err(|e| input_error(format!("{}: [conflict]: {e}", loaded.source_name)))?;
    Ok(Source {
        title: sc.scenario.id.clone(),
        spec: input.spec,
        conflict,
        status_quo: input.status_quo,
        historical: input.historical,
    })
}

/// A state given as a number or a formula naming exactly one state.
fn state_arg(src: &Source, text: &str, flag: &str) -> anyhow::Result<usize> {
    let c = &src.conflict;
    if let Ok(n) = text.trim().parse::<usize>() {
        return c
            .state_by_number(n)
            .map_err(|e| input_error(format!("{flag}: {e}")));
    }
    let ids = src.spec.option_ids();
    let grouped = src.spec.grouped_order();
    let opt_names = src.spec.option_names();
    let f = parse(
        text,
        &OptionNames {
            ids: &ids,
            names: &opt_names,
            grouped: &grouped,
        },
    )
    .map_err(|e| input_error(format!("{flag}: {e}")))?;
    single_state(c, &f).map_err(|e| input_error(format!("{flag}: {e}")))
}

fn single_state(c: &Conflict, f: &Formula) -> Result<usize, String> {
    let v = c.states_matching(f);
    match v.as_slice() {
        [s] => Ok(*s),
        _ => Err(format!(
            "the formula names {} feasible states; expected exactly one",
            v.len()
        )),
    }
}

fn concepts(a: &ConflictArgs) -> anyhow::Result<Vec<Concept>> {
    a.concepts
        .iter()
        .map(|k| {
            Concept::parse(k).ok_or_else(|| {
                input_error(format!(
                    "--concepts: unknown concept `{k}`; expected nash, gmr, smr, seq, sim or seq_sim"
                ))
            })
        })
        .collect()
}

fn dm_list(c: &Conflict, text: &str, flag: &str) -> anyhow::Result<Vec<usize>> {
    let v = text
        .split('+')
        .map(|t| {
            c.dm_index(t).map_err(|e| {
                input_error(format!(
                    "{flag}: {e}; expected ids or names of: {}",
                    dm_names(c)
                ))
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(v)
}

fn dm_names(c: &Conflict) -> String {
    c.dms()
        .iter()
        .map(|d| d.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn steps_text(c: &Conflict, p: &[Step]) -> String {
    if p.is_empty() {
        return "(already there)".into();
    }
    p.iter()
        .map(|s| format!("{} → {}", c.dms()[s.dm].name, s.state + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

fn steps_json(c: &Conflict, p: &[Step]) -> Value {
    Value::Array(
        p.iter()
            .map(|s| json!({"dm": c.dms()[s.dm].name, "state": s.state + 1}))
            .collect(),
    )
}

fn numbers(b: &negotium_conflict::BitSet) -> Vec<usize> {
    b.iter().map(|s| s + 1).collect()
}

fn list(v: &[usize], max: usize) -> String {
    if v.is_empty() {
        return "none".into();
    }
    let mut s: Vec<String> = v.iter().take(max).map(|x| x.to_string()).collect();
    if v.len() > max {
        s.push(format!("… ({} in all)", v.len()));
    }
    s.join(", ")
}

pub fn run(a: ConflictArgs) -> anyhow::Result<()> {
    let src = load(a.scenario.as_deref())?;
    let (js, out) = compute(&a, src)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&js)?);
    } else {
        print!("{out}");
    }
    Ok(())
}

/// Parses conflict flags from words, as `negotium conflict` would.
#[derive(clap::Parser)]
#[command(name = "conflict", no_binary_name = true)]
struct ConflictFlags {
    #[command(flatten)]
    args: ConflictArgs,
}

/// The conflict lens's JSON (the `--json` contract) for a scenario, with
/// parameters named like the command's flags (`concepts`, `status_quo`,
/// `coalition`, `explain`, `gmcr_py`, …); used by the report and the workbench.
pub fn lens_json(scenario: &Scenario, params: &Value) -> anyhow::Result<Value> {
    let a = super::lenses::parse_params::<ConflictFlags>(params, &["scenario", "json"])?.args;
    let src = source_of(scenario)?;
    Ok(compute(&a, src)?.0)
}

/// The conflict of a scenario's `[conflict]` section.
fn source_of(scenario: &Scenario) -> anyhow::Result<Source> {
    let Some(sec) = &scenario.inputs.conflict else {
        return Err(input_error(format!(
            "scenario `{}` has no [conflict] section",
            scenario.scenario.id
        )));
    };
    let input = sec
        .to_input()
        .map_err(|e| input_error(format!("[conflict]: {e}")))?;
    let conflict =
        Conflict::build(&input.spec).map_err(|e| input_error(format!("[conflict]: {e}")))?;
    Ok(Source {
        title: scenario.scenario.id.clone(),
        spec: input.spec,
        conflict,
        status_quo: input.status_quo,
        historical: input.historical,
    })
}

/// Every analysis the flags ask for: the JSON result and the text report.
fn compute(a: &ConflictArgs, src: Source) -> anyhow::Result<(Value, String)> {
    let sem = if a.gmcr_py {
        Semantics::GmcrPy
    } else {
        Semantics::Textbook
    };
    let cs = concepts(a)?;
    let c = &src.conflict;
    let results = analyze(c, &cs, sem).map_err(|e| input_error(e.to_string()))?;
    let mut out = String::new();
    let mut js = base_json(&src, &results);
    js["semantics"] = json!(if a.gmcr_py { "gmcr-py" } else { "textbook" });
    text_summary(&src, &results, a.all_states, &mut out);

    // Named states: status quo and historical end state.
    let sq = match &a.status_quo {
        Some(t) => Some(state_arg(&src, t, "--status-quo")?),
        None => src
            .status_quo
            .as_ref()
            .and_then(|f| single_state(c, f).ok()),
    };
    let hist = src
        .historical
        .as_ref()
        .and_then(|f| single_state(c, f).ok());
    let mut to_explain: Vec<usize> = Vec::new();
    if let Some(h) = hist {
        to_explain.push(h);
        historical_block(&src, &results, h, &mut out, &mut js);
    }
    for t in &a.explain {
        let s = state_arg(&src, t, "--explain")?;
        if !to_explain.contains(&s) {
            to_explain.push(s);
        }
    }
    if let Some(s0) = sq {
        if !to_explain.contains(&s0) {
            to_explain.insert(0, s0);
        }
    }
    let mut expl = Vec::new();
    for &s in &to_explain {
        let _ = writeln!(
            out,
            "\nWhy state {} ({}) is or is not stable:",
            s + 1,
            c.pattern(s)
        );
        for r in &results {
            for i in 0..c.n_dms() {
                let n = explain(c, i, s, r.concept, sem).map_err(|e| input_error(e.to_string()))?;
                let text = n.text(c);
                if !n.stable {
                    // The first unsanctioned improvement is the reason; count the rest.
                    let lines: Vec<&str> = text
                        .lines()
                        .filter(|l| !l.contains(" is sanctioned:"))
                        .collect();
                    let more = if lines.len() > 1 {
                        format!(" (and {} more improvements like it)", lines.len() - 1)
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        out,
                        "  [{}] {}{more}",
                        r.concept.label(),
                        lines.first().copied().unwrap_or("")
                    );
                }
                expl.push(json!({"state": s + 1, "dm": c.dms()[i].name, "concept": r.concept.key(), "stable": n.stable, "reason": text}));
            }
        }
        if results.iter().all(|r| r.equilibria.contains(s)) {
            let _ = writeln!(out, "  stable for every DM under every concept shown.");
        }
    }
    if !expl.is_empty() {
        js["explanations"] = Value::Array(expl);
    }

    if let Some(s0) = sq {
        status_quo_block(
            &src,
            &results,
            s0,
            a.improvements_only,
            hist,
            &mut out,
            &mut js,
        );
    }
    for co in &a.coalition {
        let h = dm_list(c, co, "--coalition")?;
        let base = results
            .iter()
            .find(|r| r.concept == Concept::Nash)
            .unwrap_or(&results[0]);
        let names: Vec<&str> = h.iter().map(|&k| c.dms()[k].name.as_str()).collect();
        let _ = writeln!(
            out,
            "\nCoalition {} — coalitional improvements from each {} equilibrium:",
            names.join("+"),
            base.concept.label()
        );
        let mut arr = Vec::new();
        for s in base.equilibria.iter() {
            let imp = coalition_improvements(c, &h, s);
            if imp.is_empty() {
                let _ = writeln!(out, "  state {}: none (coalition-stable)", s + 1);
            } else {
                for m in &imp {
                    let _ = writeln!(
                        out,
                        "  state {} → {} by {}",
                        s + 1,
                        m.to + 1,
                        steps_text(c, &m.path)
                    );
                }
            }
            arr.push(json!({"equilibrium": s + 1, "improvements": imp.iter().map(|m| json!({"to": m.to + 1, "path": steps_json(c, &m.path)})).collect::<Vec<_>>()}));
        }
        if js["coalitions"].is_null() {
            js["coalitions"] = json!({});
        }
        js["coalitions"][names.join("+")] =
            json!({"concept": base.concept.key(), "from_equilibria": arr});
    }
    if let Some(p) = &a.partition {
        let blocs = p
            .split(',')
            .map(|b| dm_list(c, b, "--partition"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let label = |b: &Vec<usize>| {
            b.iter()
                .map(|&k| c.dms()[k].name.clone())
                .collect::<Vec<_>>()
                .join("+")
        };
        let _ = writeln!(
            out,
            "\nBloc analysis (gmcr-py partition semantics: {}):",
            blocs.iter().map(label).collect::<Vec<_>>().join(" | ")
        );
        let mut pj = serde_json::Map::new();
        for &k in &cs {
            if matches!(k, Concept::Sim | Concept::SeqSim) {
                continue;
            }
            let (_, eq) = partition_stability(c, &blocs, k)
                .map_err(|e| input_error(format!("--partition: {e}")))?;
            let _ = writeln!(out, "  {:<7} {}", k.label(), list(&numbers(&eq), 40));
            pj.insert(k.key().into(), json!(numbers(&eq)));
        }
        js["partition"] =
            json!({"blocs": blocs.iter().map(label).collect::<Vec<_>>(), "equilibria": pj});
    }
    if let Some(t) = &a.inverse {
        let s = state_arg(&src, t, "--inverse")?;
        let mut windows = vec![None; c.n_dms()];
        if a.vary.is_empty() {
            return Err(input_error("--inverse needs --vary A..B (or DM=A..B) to say which ranking positions to permute"));
        }
        for v in &a.vary {
            let (who, range) = match v.split_once('=') {
                Some((d, r)) => (
                    Some(
                        c.dm_index(d)
                            .map_err(|e| input_error(format!("--vary: {e}")))?,
                    ),
                    r,
                ),
                None => (None, v.as_str()),
            };
            let (x, y) = range
                .split_once("..")
                .and_then(|(x, y)| Some((x.trim().parse::<usize>().ok()?, y.trim().parse::<usize>().ok()?)))
                .filter(|(x, y)| *x >= 1 && y >= x)
                .ok_or_else(|| input_error(format!("--vary: `{v}` is not A..B with 1 ≤ A ≤ B (1-based tie-group positions, inclusive)")))?;
            for (i, w) in windows.iter_mut().enumerate() {
                if who.is_none_or(|d| d == i) {
                    let g = c.ranking(i).len();
                    *w = Some((x - 1, y.min(g)));
                }
            }
        }
        let inv_concepts: Vec<Concept> = cs
            .iter()
            .copied()
            .filter(|k| !matches!(k, Concept::Sim | Concept::SeqSim) || !a.inverse_gmcr_py)
            .collect();
        let mode = if a.inverse_gmcr_py {
            InverseMode::GmcrPy
        } else {
            InverseMode::Textbook
        };
        let r = inverse(c, s, &windows, &inv_concepts, sem, mode)
            .map_err(|e| input_error(format!("--inverse: {e}")))?;
        let _ = writeln!(
            out,
            "\nInverse analysis: state {} over {} preference profiles{}:",
            s + 1,
            r.profiles,
            if a.inverse_gmcr_py {
                " (GMCR+ counting)"
            } else {
                ""
            }
        );
        for (k, n) in &r.counts {
            let _ = writeln!(
                out,
                "  {:<7} {n} profiles make it an equilibrium",
                k.label()
            );
        }
        js["inverse"] = json!({"state": s + 1, "profiles": r.profiles, "mode": if a.inverse_gmcr_py {"gmcr-py"} else {"textbook"},
            "windows": r.windows.iter().enumerate().map(|(i, w)| json!({"dm": c.dms()[i].name, "from": w.map(|x| x.0 + 1), "to": w.map(|x| x.1)})).collect::<Vec<_>>(),
            "counts": r.counts.iter().map(|(k, n)| (k.key().to_string(), json!(n))).collect::<serde_json::Map<_, _>>()});
    }
    if let Some(h) = a.limited {
        if h == 0 {
            return Err(input_error("--limited: expected a horizon of at least 1"));
        }
        let lm = limited_move(c, h).map_err(|e| input_error(format!("--limited: {e}")))?;
        let _ = writeln!(out, "\nLimited-move stability (tie rule: all tie-breaks followed; stable iff the only anticipated outcome is the state itself):");
        let mut lj = Vec::new();
        for r in &lm {
            let _ = writeln!(
                out,
                "  L_{:<3} {}",
                r.horizon,
                list(&numbers(&r.equilibria), 40)
            );
            lj.push(json!({"horizon": r.horizon, "equilibria": numbers(&r.equilibria)}));
        }
        js["limited_move"] = Value::Array(lj);
    }
    Ok((js, out))
}

fn base_json(src: &Source, results: &[ConceptResult]) -> Value {
    let c = &src.conflict;
    let dms: Vec<Value> = c
        .dms()
        .iter()
        .enumerate()
        .map(|(i, d)| json!({"id": d.id, "name": d.name, "options": d.options.iter().map(|b| b + 1).collect::<Vec<_>>(), "ranking": c.ranking(i)}))
        .collect();
    let options: Vec<Value> = c
        .options()
        .iter()
        .enumerate()
        .map(|(k, o)| json!({"number": k + 1, "id": o.id, "name": o.name, "dm": c.dms()[o.dm].name, "reversibility": o.reversibility}))
        .collect();
    let states: Vec<Value> = (0..c.len())
        .map(|s| json!({"number": s + 1, "decimal": c.code(s), "pattern": c.pattern(s)}))
        .collect();
    let mut stability = serde_json::Map::new();
    let mut equilibria = serde_json::Map::new();
    for r in results {
        let per: serde_json::Map<String, Value> = r
            .per_dm
            .iter()
            .enumerate()
            .map(|(i, b)| (c.dms()[i].name.clone(), json!(numbers(b))))
            .collect();
        stability.insert(r.concept.key().into(), Value::Object(per));
        equilibria.insert(r.concept.key().into(), json!(numbers(&r.equilibria)));
    }
    json!({"title": src.title, "dms": dms, "options": options, "states": states,
           "stability": stability, "equilibria": equilibria})
}

fn text_summary(src: &Source, results: &[ConceptResult], all: bool, out: &mut String) {
    let c = &src.conflict;
    let _ = writeln!(
        out,
        "Conflict {}: {} decision makers, {} options, {} feasible states (of {}).",
        src.title,
        c.n_dms(),
        c.options().len(),
        c.len(),
        1u128 << c.options().len()
    );
    let mut cols: Vec<usize> = if all {
        (0..c.len()).collect()
    } else {
        let mut v: Vec<usize> = results.iter().flat_map(|r| r.equilibria.iter()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let total = cols.len();
    cols.truncate(40);
    if cols.is_empty() {
        let _ = writeln!(
            out,
            "\nNo state is an equilibrium under the concepts shown."
        );
    } else {
        let _ = writeln!(
            out,
            "\nOption form ({}; Y = option taken):",
            if all { "all states" } else { "equilibria" }
        );
        let w = c
            .options()
            .iter()
            .map(|o| o.name.chars().count() + c.dms()[o.dm].id.chars().count() + 1)
            .max()
            .unwrap_or(8)
            .clamp(8, 48);
        let cw = cols
            .iter()
            .map(|s| (s + 1).to_string().len())
            .max()
            .unwrap_or(1)
            .max(1);
        let head: String = cols.iter().map(|s| format!(" {:>cw$}", s + 1)).collect();
        let _ = writeln!(out, "  {:<w$} {head}", "state");
        for (k, o) in c.options().iter().enumerate() {
            let label: String = format!("{} {}", c.dms()[o.dm].id, o.name)
                .chars()
                .take(w)
                .collect();
            let row: String = cols
                .iter()
                .map(|&s| format!(" {:>cw$}", if c.code(s) >> k & 1 == 1 { "Y" } else { "N" }))
                .collect();
            let _ = writeln!(out, "  {label:<w$} {row}");
        }
        for r in results {
            let row: String = cols
                .iter()
                .map(|&s| {
                    format!(
                        " {:>cw$}",
                        if r.equilibria.contains(s) {
                            "✓"
                        } else {
                            "·"
                        }
                    )
                })
                .collect();
            let _ = writeln!(out, "  {:<w$} {row}", r.concept.label());
        }
        if total > cols.len() {
            let _ = writeln!(
                out,
                "  (first {} of {total} states shown; use --json for all)",
                cols.len()
            );
        }
    }
    let _ = writeln!(out, "\nEquilibria:");
    for r in results {
        let _ = writeln!(
            out,
            "  {:<8} {}",
            r.concept.label(),
            list(&numbers(&r.equilibria), 30)
        );
    }
    let _ = writeln!(
        out,
        "\nStable states per decision maker (count; states if few):"
    );
    let nw = c
        .dms()
        .iter()
        .map(|d| d.name.chars().count())
        .max()
        .unwrap_or(8);
    for (i, d) in c.dms().iter().enumerate() {
        let parts: Vec<String> = results
            .iter()
            .map(|r| {
                let v = numbers(&r.per_dm[i]);
                if v.len() <= 8 {
                    format!("{} {} [{}]", r.concept.label(), v.len(), list(&v, 8))
                } else {
                    format!("{} {}", r.concept.label(), v.len())
                }
            })
            .collect();
        let _ = writeln!(out, "  {:<nw$} {}", d.name, parts.join("; "));
    }
}

fn historical_block(
    src: &Source,
    results: &[ConceptResult],
    h: usize,
    out: &mut String,
    js: &mut Value,
) {
    let c = &src.conflict;
    let stable_under: Vec<&str> = results
        .iter()
        .filter(|r| r.equilibria.contains(h))
        .map(|r| r.concept.label())
        .collect();
    let _ = writeln!(
        out,
        "\nHistorical end state {} ({}): {}",
        h + 1,
        c.pattern(h),
        if stable_under.is_empty() {
            "not an equilibrium under any concept shown".to_string()
        } else {
            format!("an equilibrium under {}", stable_under.join(", "))
        }
    );
    js["historical"] = json!({"state": h + 1, "pattern": c.pattern(h),
        "equilibrium_under": results.iter().filter(|r| r.equilibria.contains(h)).map(|r| r.concept.key()).collect::<Vec<_>>()});
}

fn status_quo_block(
    src: &Source,
    results: &[ConceptResult],
    s0: usize,
    ui_only: bool,
    hist: Option<usize>,
    out: &mut String,
    js: &mut Value,
) {
    let c = &src.conflict;
    let r = reach(c, s0, ui_only);
    let reachable: Vec<usize> = (0..c.len()).filter(|&s| r.reachable(s)).collect();
    let _ = writeln!(
        out,
        "\nStatus quo: state {} ({}). {} states reachable by legal move sequences{}.",
        s0 + 1,
        c.pattern(s0),
        reachable.len(),
        if ui_only {
            " of unilateral improvements"
        } else {
            ""
        }
    );
    // Paths to the states that are equilibria under every concept shown (or,
    // if none is, under any), and to the historical end state.
    let mut targets: Vec<usize> = (0..c.len())
        .filter(|&s| results.iter().all(|x| x.equilibria.contains(s)))
        .collect();
    if targets.is_empty() {
        targets = results.iter().flat_map(|x| x.equilibria.iter()).collect();
    }
    if let Some(h) = hist {
        targets.push(h);
    }
    targets.sort_unstable();
    targets.dedup();
    let mut paths = Vec::new();
    let mut edges = Vec::new();
    let shown = targets.len().min(25);
    for &t in targets.iter().take(shown) {
        let tag = if Some(t) == hist { " (historical)" } else { "" };
        match r.path(t) {
            Some(p) => {
                let _ = writeln!(
                    out,
                    "  to {}{tag} in {} move{}: {}",
                    t + 1,
                    p.len(),
                    if p.len() == 1 { "" } else { "s" },
                    steps_text(c, &p)
                );
                let mut prev = s0;
                for st in &p {
                    edges.push(
                        json!({"from": prev + 1, "to": st.state + 1, "dm": c.dms()[st.dm].name}),
                    );
                    prev = st.state;
                }
                paths.push(json!({"to": t + 1, "steps": steps_json(c, &p)}));
            }
            None => {
                let _ = writeln!(out, "  to {}{tag}: not reachable", t + 1);
                paths.push(json!({"to": t + 1, "steps": Value::Null}));
            }
        }
    }
    if targets.len() > shown {
        let _ = writeln!(out, "  ({} more targets in --json)", targets.len() - shown);
    }
    js["status_quo"] = json!({"start": s0 + 1, "pattern": c.pattern(s0), "improvements_only": ui_only,
        "reachable": reachable.iter().map(|s| s + 1).collect::<Vec<_>>(), "paths": paths, "edges": edges});
}

/// Appends this lens's part of the `analyze` report (nothing if the scenario has no `[conflict]`).
pub fn analyze_section(scenario: &Scenario, out: &mut String) -> anyhow::Result<()> {
    let Some(sec) = &scenario.inputs.conflict else {
        return Ok(());
    };
    let input = sec
        .to_input()
        .map_err(|e| input_error(format!("[conflict]: {e}")))?;
    // A model too large to analyse is reported here, not fatal to `analyze`.
    let conflict = match Conflict::build(&input.spec) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(out, "Conflict lens skipped: {e}");
            return Ok(());
        }
    };
    let src = Source {
        title: scenario.scenario.id.clone(),
        spec: input.spec,
        conflict,
        status_quo: input.status_quo,
        historical: input.historical,
    };
    let results = analyze(&src.conflict, &Concept::ALL, Semantics::Textbook)
        .map_err(|e| input_error(e.to_string()))?;
    text_summary(&src, &results, false, out);
    let mut js = Value::Null;
    let c = &src.conflict;
    let hist = src
        .historical
        .as_ref()
        .and_then(|f| single_state(c, f).ok());
    if let Some(h) = hist {
        js = json!({});
        historical_block(&src, &results, h, out, &mut js);
    }
    if let Some(s0) = src
        .status_quo
        .as_ref()
        .and_then(|f| single_state(c, f).ok())
    {
        if js.is_null() {
            js = json!({});
        }
        status_quo_block(&src, &results, s0, false, hist, out, &mut js);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        format!(
            "{}/../negotium-conflict/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        )
    }

    #[test]
    fn json_contract_on_the_syria_iraq_gmcr_file() {
        let src = load(Some(&fixture("syria_iraq.gmcr"))).unwrap();
        let results = analyze(&src.conflict, &Concept::ALL, Semantics::Textbook).unwrap();
        let js = base_json(&src, &results);
        assert_eq!(js["dms"][0]["name"], "Syria");
        assert_eq!(js["options"].as_array().unwrap().len(), 3);
        assert_eq!(
            js["states"][1],
            json!({"number": 2, "decimal": 1, "pattern": "YNN"})
        );
        // Reference equilibria (GMCR+ handout, research notes §3.3).
        assert_eq!(js["equilibria"]["nash"], json!([6]));
        assert_eq!(js["equilibria"]["gmr"], json!([1, 6]));
        assert_eq!(js["equilibria"]["smr"], json!([6]));
        assert_eq!(js["equilibria"]["seq"], json!([6]));
        assert_eq!(js["equilibria"]["sim"], json!([6]));
        assert_eq!(js["stability"]["gmr"]["Iraq"], json!([1, 2, 4, 5, 6]));
        assert_eq!(js["stability"]["nash"]["Syria"], json!([1, 6]));
    }

    #[test]
    fn state_arguments_accept_numbers_and_formulas() {
        let src = load(Some(&fixture("syria_iraq.gmcr"))).unwrap();
        assert_eq!(state_arg(&src, "6", "--x").unwrap(), 5);
        assert_eq!(state_arg(&src, "!o1 & o2 & o3", "--x").unwrap(), 5);
        assert_eq!(state_arg(&src, "NYY", "--x").unwrap(), 5);
        let e = state_arg(&src, "o3", "--x").unwrap_err().to_string();
        assert!(e.contains("names 3 feasible states"), "{e}");
        let e = state_arg(&src, "9", "--x").unwrap_err().to_string();
        assert!(e.contains("state 9 does not exist"), "{e}");
    }

    #[test]
    fn bad_gmcr_file_is_an_input_error_with_a_path() {
        let e = match load(Some(&fixture("bad_option_index.gmcr"))) {
            Err(e) => e,
            Ok(_) => panic!("loaded a bad file"),
        };
        assert_eq!(super::super::exit_code(&e), 2);
        assert!(e.to_string().contains("$.options[1].permittedDirection"));
    }
}
