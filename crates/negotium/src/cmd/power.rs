//! `negotium power` and `negotium vote`: the institutions and voting lens —
//! exact power indices of each institution's members, minimal winning and
//! blocking coalitions, recorded votes checked against their body's rule, and
//! whether a proposal passes, who votes how and why, who vetoes or pivots.

use std::fmt::Write as _;

use clap::Args;
use negotium_report::{num, Align, Table};
use negotium_scenario::sections::institution::{
    check_recorded_votes, InstitutionModel, InstitutionSection, RecordedVote,
};
use negotium_scenario::Scenario;
use negotium_voting::{
    decide, minimal_coalitions, power, Ballot, Failure, Game, Index, Method, PowerOptions,
    PowerReport, TallyVerdict, WeightedQuota,
};
use serde_json::{json, Map, Value};

use super::input_error;

#[derive(Args, Debug, Clone)]
pub struct PowerArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Only this institution (its id).
    #[arg(long)]
    pub institution: Option<String>,
    /// Indices, comma-separated: shapley_shubik (ss), banzhaf (bz), banzhaf_absolute (pbi),
    /// holler (pgi), deegan_packel (dp), johnston (j), coleman_prevent (cp), coleman_initiate (ci).
    #[arg(long, value_delimiter = ',')]
    pub index: Vec<String>,
    /// Print exact fractions (e.g. 421/2145) instead of decimals.
    #[arg(long)]
    pub exact_fractions: bool,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// A quick weighted game without a file: the quota (comma-separated for several quotas).
    #[arg(long, value_delimiter = ',')]
    pub quota: Vec<f64>,
    /// The members' weights, comma-separated; repeat once per quota.
    #[arg(long)]
    pub weights: Vec<String>,
    /// For --quota: members (1-based positions) holding a veto, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub veto: Vec<usize>,
    /// For --quota: a coalition also wins when fewer than K members are outside it.
    #[arg(long)]
    pub min_complement: Option<u32>,
    /// auto (exact where feasible, else Monte Carlo, said so), exact, enumerate, monte-carlo.
    #[arg(long, default_value = "auto")]
    pub method: String,
    /// Monte Carlo samples (orderings and coalitions each).
    #[arg(long, default_value_t = 200_000)]
    pub samples: u64,
    /// Monte Carlo seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// List minimal winning / blocking coalitions when there are at most this many.
    #[arg(long, default_value_t = 12)]
    pub list_limit: usize,
}

#[derive(Args, Debug, Clone)]
pub struct VoteArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// The institution voting (its id; default: the first with a weighted rule).
    #[arg(long)]
    pub institution: Option<String>,
    /// The issue the proposal concerns.
    #[arg(long, default_value = "status")]
    pub issue: String,
    /// The proposal: a point of the issue's scale.
    #[arg(long)]
    pub proposal: f64,
    /// Status quo to compare against (default: the issue's `status_quo`).
    #[arg(long)]
    pub status_quo: Option<f64>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_indices(list: &[String]) -> anyhow::Result<Vec<Index>> {
    if list.is_empty() {
        return Ok(Index::ALL.to_vec());
    }
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Index::parse(s).ok_or_else(|| {
                input_error(format!(
                    "--index: unknown index `{s}`; expected {}",
                    Index::ALL.map(Index::key).join(", ")
                ))
            })
        })
        .collect()
}

fn parse_method(s: &str) -> anyhow::Result<Method> {
    Ok(match s {
        "auto" => Method::Auto,
        "exact" => Method::Exact,
        "enumerate" => Method::Enumerate,
        "monte-carlo" | "montecarlo" | "mc" => Method::MonteCarlo,
        other => {
            return Err(input_error(format!(
                "--method: unknown method `{other}`; expected auto, exact, enumerate or monte-carlo"
            )))
        }
    })
}

fn options(a: &PowerArgs) -> anyhow::Result<PowerOptions> {
    Ok(PowerOptions {
        indices: parse_indices(&a.index)?,
        method: parse_method(&a.method)?,
        samples: a.samples,
        seed: a.seed,
        ..Default::default()
    })
}

/// The game of `--quota/--weights`.
fn quick_game(a: &PowerArgs) -> anyhow::Result<(Game, Vec<String>, Vec<u64>)> {
    if a.weights.len() != a.quota.len() {
        return Err(input_error(format!(
            "--weights given {} time(s) for {} quota(s); expected one --weights list per quota",
            a.weights.len(),
            a.quota.len()
        )));
    }
    let mut quotas = Vec::new();
    let mut scales = Vec::new();
    let mut n = None;
    for (k, (w, &q)) in a.weights.iter().zip(&a.quota).enumerate() {
        let ws: Vec<f64> = w
            .split(',')
            .map(|x| {
                x.trim().parse::<f64>().map_err(|_| {
                    input_error(format!(
                        "--weights (quota {}): `{x}` is not a number",
                        k + 1
                    ))
                })
            })
            .collect::<anyhow::Result<_>>()?;
        if let Some(n0) = n {
            if n0 != ws.len() {
                return Err(input_error(format!(
                    "--weights: quota {} has {} weights but quota 1 has {n0}; expected one weight per member in every list",
                    k + 1,
                    ws.len()
                )));
            }
        }
        n = Some(ws.len());
        let (weights, quota, scale) = negotium_voting::scale_to_integers(&ws, q)
            .map_err(|e| input_error(format!("--quota/--weights (quota {}): {e}", k + 1)))?;
        quotas.push(WeightedQuota { weights, quota });
        scales.push(scale);
    }
    let n = n.unwrap_or(0);
    let mut veto = vec![false; n];
    for &v in &a.veto {
        if v == 0 || v > n {
            return Err(input_error(format!(
                "--veto: member {v} does not exist; expected positions 1..={n}"
            )));
        }
        veto[v - 1] = true;
    }
    let game = Game::new(quotas, veto, a.min_complement)
        .map_err(|e| input_error(format!("--quota/--weights: {e}")))?;
    Ok((game, (1..=n).map(|i| format!("m{i}")).collect(), scales))
}

/// One institution's power result.
struct InstitutionPower {
    id: String,
    name: String,
    labels: Vec<String>,
    vetoes: Vec<bool>,
    rule: String,
    report: PowerReport,
    listing: Option<negotium_voting::Listing>,
}

fn describe_rule(game: &Game, labels: &[String], quota_text: &[String], scales: &[u64]) -> String {
    let mut parts = Vec::new();
    for (k, q) in game.quotas().iter().enumerate() {
        let total: u64 = q.weights.iter().sum();
        let equal = q.weights.iter().all(|&w| w == q.weights[0]);
        let shown = quota_text
            .get(k)
            .cloned()
            .unwrap_or_else(|| q.quota.to_string());
        if equal {
            parts.push(format!(
                "{} of {} members",
                q.quota.div_ceil(q.weights[0].max(1)),
                labels.len()
            ));
        } else {
            let scale = scales.get(k).copied().unwrap_or(1).max(1) as f64;
            parts.push(format!(
                "weight ≥ {shown} (of {})",
                trim_num(total as f64 / scale)
            ));
        }
    }
    let mut s = parts.join(" and ");
    let vetoes: Vec<&str> = labels
        .iter()
        .zip(game.vetoes())
        .filter(|(_, v)| **v)
        .map(|(l, _)| l.as_str())
        .collect();
    if !vetoes.is_empty() {
        let _ = write!(s, ", including every veto holder ({})", vetoes.join(", "));
    }
    if let Some(k) = game.min_complement() {
        let _ = write!(
            s,
            "; or fewer than {k} members against (blocking minority of {k})"
        );
    }
    s
}

fn trim_num(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    format!("{r}")
}

fn compute(
    id: &str,
    name: &str,
    game: &Game,
    labels: Vec<String>,
    quota_text: &[String],
    scales: &[u64],
    a: &PowerArgs,
) -> anyhow::Result<InstitutionPower> {
    let opts = options(a)?;
    let report = power(game, &opts).map_err(|e| input_error(format!("institution `{id}`: {e}")))?;
    let listing = if game.n() <= negotium_voting::coalitions::MAX_LISTED_MEMBERS {
        minimal_coalitions(game, a.list_limit).ok()
    } else {
        None
    };
    Ok(InstitutionPower {
        id: id.into(),
        name: name.into(),
        rule: describe_rule(game, &labels, quota_text, scales),
        vetoes: game.vetoes().to_vec(),
        labels,
        report,
        listing,
    })
}

fn models(
    s: &Scenario,
    only: Option<&str>,
) -> anyhow::Result<Vec<(InstitutionSection, InstitutionModel)>> {
    let insts = &s.inputs.institutions;
    if let Some(id) = only {
        if !insts.iter().any(|i| i.id == id) {
            return Err(input_error(format!(
                "--institution: unknown institution `{id}`; expected one of {}",
                insts
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    insts
        .iter()
        .filter(|i| only.is_none_or(|id| i.id == id))
        .map(|i| {
            Ok((
                i.clone(),
                i.model().map_err(|e| input_error(e.to_string()))?,
            ))
        })
        .collect()
}

fn value_text(v: &negotium_voting::PowerValue, fractions: bool) -> String {
    match (&v.exact, fractions) {
        (Some(e), true) => e.to_string(),
        _ => {
            let mut s = num(v.value, 4);
            if let Some([lo, hi]) = v.ci95 {
                let _ = write!(s, " ±{}", num((hi - lo) / 2.0, 4));
            }
            s
        }
    }
}

fn count_json(c: &negotium_voting::BigCount) -> Value {
    match u64::try_from(&c.0) {
        Ok(v) => json!(v),
        Err(_) => json!(c.0.to_string()),
    }
}

fn power_json(p: &InstitutionPower) -> Value {
    let mut indices = Map::new();
    let mut exact = Map::new();
    let mut ci = Map::new();
    let mut methods = Map::new();
    for r in &p.report.results {
        let key = r.index.key();
        let mut vals = Map::new();
        let mut fr = Map::new();
        let mut cis = Map::new();
        for (l, v) in p.labels.iter().zip(&r.values) {
            vals.insert(l.clone(), json!(v.value));
            if let Some(e) = &v.exact {
                fr.insert(l.clone(), json!(e.to_string()));
            }
            if let Some(c) = v.ci95 {
                cis.insert(l.clone(), json!(c));
            }
        }
        indices.insert(key.into(), Value::Object(vals));
        if !fr.is_empty() {
            exact.insert(key.into(), Value::Object(fr));
        }
        if !cis.is_empty() {
            ci.insert(key.into(), Value::Object(cis));
        }
        methods.insert(key.into(), json!(r.method.describe()));
    }
    let names = |v: &[Vec<usize>]| -> Value {
        json!(v
            .iter()
            .map(|c| c.iter().map(|&i| p.labels[i].clone()).collect::<Vec<_>>())
            .collect::<Vec<_>>())
    };
    let mut o = json!({
        "institution": p.id,
        "name": p.name,
        "rule": p.rule,
        "members": p.labels,
        "vetoes": p.labels.iter().zip(&p.vetoes).filter(|(_, v)| **v).map(|(l, _)| l.clone()).collect::<Vec<_>>(),
        "indices": indices,
        "exact": exact,
        "methods": methods,
        "total_coalitions": count_json(&p.report.total_coalitions),
        "power_to_act": p.report.power_to_act.value,
        "notes": p.report.notes,
    });
    if !ci.is_empty() {
        o["ci95"] = Value::Object(ci);
    }
    if let Some(w) = &p.report.winning_coalitions {
        o["winning_coalitions"] = count_json(w);
    }
    if let Some(w) = &p.report.minimal_winning_coalitions {
        o["minimal_winning_coalitions"] = count_json(w);
    }
    if let Some(l) = &p.listing {
        o["minimal_winning_count"] = json!(l.minimal_winning_count);
        o["minimal_blocking_count"] = json!(l.minimal_blocking_count);
        o["minimal_winning"] = names(&l.minimal_winning);
        o["minimal_blocking"] = names(&l.minimal_blocking);
    }
    o
}

fn power_text(p: &InstitutionPower, fractions: bool, out: &mut String) {
    let r = &p.report;
    let _ = writeln!(out, "{} [{}] — {} members", p.name, p.id, p.labels.len());
    let _ = writeln!(out, "  rule: a coalition wins with {}", p.rule);
    let _ = write!(out, "  ");
    match &r.winning_coalitions {
        Some(w) => {
            let _ = write!(
                out,
                "{} winning coalitions of {}",
                w.0, r.total_coalitions.0
            );
        }
        None => {
            let _ = write!(out, "{} coalitions", r.total_coalitions.0);
        }
    }
    if let Some(m) = &r.minimal_winning_coalitions {
        let _ = write!(out, "; {} minimal winning", m.0);
    }
    let _ = writeln!(
        out,
        "; power to act {}",
        value_text(&r.power_to_act, fractions)
    );
    let mut headers = vec!["member".to_string(), "veto".to_string()];
    headers.extend(r.results.iter().map(|x| x.index.label().to_string()));
    let mut t = Table::new(headers);
    let mut align = vec![Align::Left, Align::Left];
    align.extend(r.results.iter().map(|_| Align::Right));
    t = t.align(&align);
    for (i, l) in p.labels.iter().enumerate() {
        let mut row = vec![
            l.clone(),
            if p.vetoes[i] {
                "veto".into()
            } else {
                String::new()
            },
        ];
        row.extend(
            r.results
                .iter()
                .map(|x| value_text(&x.values[i], fractions)),
        );
        t.row(row);
    }
    out.push_str(&t.render(2));
    let mut methods: Vec<String> = Vec::new();
    for x in &r.results {
        let d = x.method.describe();
        if !methods.contains(&d) {
            methods.push(d);
        }
    }
    let _ = writeln!(out, "  method: {}", methods.join("; "));
    for n in &r.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    if let Some(l) = &p.listing {
        for (what, count, list) in [
            (
                "minimal winning",
                l.minimal_winning_count,
                &l.minimal_winning,
            ),
            (
                "minimal blocking",
                l.minimal_blocking_count,
                &l.minimal_blocking,
            ),
        ] {
            if list.is_empty() && count > 0 {
                let _ = writeln!(
                    out,
                    "  {count} {what} coalitions (more than the listing limit)"
                );
                if what == "minimal blocking" || what == "minimal winning" {
                    summarise_families(p, what, out);
                }
            } else {
                let _ = writeln!(out, "  {count} {what} coalitions:");
                for c in list {
                    let names: Vec<&str> = c.iter().map(|&i| p.labels[i].as_str()).collect();
                    let _ = writeln!(out, "    {{{}}}", names.join(", "));
                }
            }
        }
    }
}

/// For bodies with vetoes, the shape of the families that are too long to list.
fn summarise_families(p: &InstitutionPower, what: &str, out: &mut String) {
    let v: Vec<&str> = p
        .labels
        .iter()
        .zip(&p.vetoes)
        .filter(|(_, v)| **v)
        .map(|(l, _)| l.as_str())
        .collect();
    if v.is_empty() {
        return;
    }
    if what == "minimal blocking" {
        let _ = writeln!(out, "    each veto holder alone blocks: {}", v.join(", "));
    } else {
        let _ = writeln!(
            out,
            "    every one of them includes all veto holders: {}",
            v.join(", ")
        );
    }
}

fn recorded_text(votes: &[RecordedVote], out: &mut String) {
    let checked: Vec<&RecordedVote> = votes.iter().filter(|v| v.check.is_some()).collect();
    if checked.is_empty() {
        return;
    }
    let _ = writeln!(out, "Recorded votes checked against their body's rule:");
    for v in checked {
        let c = v.check.as_ref().expect("checked");
        let verdict = match c.verdict {
            TallyVerdict::Passes => "CARRIED",
            TallyVerdict::Fails => "NOT CARRIED",
            TallyVerdict::Undetermined => "UNDETERMINED",
        };
        let absent = v
            .tally
            .absent
            .map(|a| format!(", {a} absent"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} [{}] {}–{}–{}{}: {} — {}",
            v.date, v.body, v.tally.yes, v.tally.no, v.tally.abstain, absent, verdict, v.title
        );
        let _ = writeln!(out, "      {}", c.explanation);
    }
    let others: Vec<&str> = votes
        .iter()
        .filter(|v| v.check.is_none())
        .map(|v| v.body.as_str())
        .collect();
    if !others.is_empty() {
        let mut uniq: Vec<&str> = Vec::new();
        for o in others {
            if !uniq.contains(&o) {
                uniq.push(o);
            }
        }
        let _ = writeln!(
            out,
            "  (not checked: tallies of bodies without an [[institution]] rule: {})",
            uniq.join("; ")
        );
    }
}

fn recorded_json(votes: &[RecordedVote]) -> Value {
    json!(votes
        .iter()
        .map(|v| {
            json!({
                "date": v.date,
                "title": v.title,
                "body": v.body,
                "tally": {"yes": v.tally.yes, "no": v.tally.no, "abstain": v.tally.abstain, "absent": v.tally.absent},
                "verdict": v.check.as_ref().map(|c| serde_json::to_value(c.verdict).unwrap_or(Value::Null)),
                "required_yes": v.check.as_ref().and_then(|c| c.required_yes),
                "explanation": v.check.as_ref().map(|c| c.explanation.clone()),
            })
        })
        .collect::<Vec<_>>())
}

/// Power of every institution of a scenario (those with a weighted rule).
fn scenario_powers(
    s: &Scenario,
    a: &PowerArgs,
) -> anyhow::Result<(Vec<InstitutionPower>, Vec<String>)> {
    let mut out = Vec::new();
    let mut rule_only = Vec::new();
    for (sec, m) in models(s, a.institution.as_deref())? {
        match &m.game {
            Some(g) => {
                let qt: Vec<String> = sec.quota.iter().map(|q| format!("{q}")).collect();
                out.push(compute(
                    &m.id,
                    &m.name,
                    g,
                    m.labels.clone(),
                    &qt,
                    &m.scales,
                    a,
                )?)
            }
            None => {
                if let Some(r) = &m.majority {
                    rule_only.push(format!(
                        "{} [{}]: {} (recorded votes only)",
                        m.name,
                        m.id,
                        r.describe()
                    ));
                }
            }
        }
    }
    Ok((out, rule_only))
}

/// The `power --json` result for a scenario (the lens contract).
pub fn lens_json(s: &Scenario, a: &PowerArgs) -> anyhow::Result<Value> {
    let (powers, _) = scenario_powers(s, a)?;
    Ok(json!({
        "scenario": s.scenario.id,
        "institutions": powers.iter().map(power_json).collect::<Vec<_>>(),
        "recorded_votes": recorded_json(&check_recorded_votes(s)),
    }))
}

/// Default arguments (all indices, automatic method) for callers outside the CLI.
pub fn default_args() -> PowerArgs {
    PowerArgs {
        scenario: None,
        institution: None,
        index: Vec::new(),
        exact_fractions: false,
        json: false,
        quota: Vec::new(),
        weights: Vec::new(),
        veto: Vec::new(),
        min_complement: None,
        method: "auto".into(),
        samples: 200_000,
        seed: 0,
        list_limit: 12,
    }
}

/// `power` parameters from JSON (`institution`, `index`, `method`, `samples`,
/// `seed`, `list_limit`), for the report and the workbench:
/// `lens_json(&loaded.scenario, &args_from_params(params)?)`.
// Used by `lenses.rs` once the lead wires the `power` lens; tested here.
#[allow(dead_code)]
pub fn args_from_params(params: &Value) -> anyhow::Result<PowerArgs> {
    let mut a = default_args();
    let Some(obj) = params.as_object() else {
        return if params.is_null() {
            Ok(a)
        } else {
            Err(input_error("params: expected a JSON object"))
        };
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let int = |k: &str, v: &Value| {
        v.as_u64()
            .ok_or_else(|| input_error(format!("params.{k}: expected a non-negative integer")))
    };
    for (k, v) in obj {
        match k.as_str() {
            "institution" => a.institution = v.as_str().map(String::from),
            "index" | "indices" => {
                a.index = match v {
                    Value::Array(xs) => xs.iter().map(text).collect(),
                    Value::Null => Vec::new(),
                    other => text(other).split(',').map(|x| x.trim().to_string()).collect(),
                }
            }
            "method" => a.method = text(v),
            "samples" => a.samples = int(k, v)?,
            "seed" => a.seed = int(k, v)?,
            "list_limit" => a.list_limit = int(k, v)? as usize,
            other => {
                return Err(input_error(format!(
                    "params: unknown power parameter `{other}`; expected institution, index, method, samples, seed or list_limit"
                )))
            }
        }
    }
    parse_indices(&a.index)?;
    parse_method(&a.method)?;
    Ok(a)
}

pub fn run_power(a: PowerArgs) -> anyhow::Result<()> {
    if !a.quota.is_empty() || !a.weights.is_empty() {
        if a.scenario.is_some() {
            return Err(input_error(
                "give either a scenario or --quota/--weights, not both",
            ));
        }
        if a.quota.is_empty() {
            return Err(input_error("--weights needs --quota"));
        }
        let (game, labels, scales) = quick_game(&a)?;
        let qt: Vec<String> = a.quota.iter().map(|q| format!("{q}")).collect();
        let p = compute("game", "Weighted game", &game, labels, &qt, &scales, &a)?;
        if a.json {
            emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json!({"institutions": [power_json(&p)]}))?
            ));
        } else {
            let mut out = String::new();
            power_text(&p, a.exact_fractions, &mut out);
            emit(&out);
        }
        return Ok(());
    }
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let s = &loaded.scenario;
    if s.inputs.institutions.is_empty() {
        return Err(input_error(format!(
            "{} has no [[institution]] section; add one, or use --quota/--weights for a quick game",
            loaded.source_name
        )));
    }
    if a.json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&lens_json(s, &a)?)?
        ));
        return Ok(());
    }
    let (powers, rule_only) = scenario_powers(s, &a)?;
    let mut out = String::new();
    for p in &powers {
        power_text(p, a.exact_fractions, &mut out);
        out.push('\n');
    }
    for r in &rule_only {
        let _ = writeln!(out, "{r}");
    }
    if !rule_only.is_empty() {
        out.push('\n');
    }
    let votes: Vec<RecordedVote> = check_recorded_votes(s)
        .into_iter()
        .filter(|v| a.institution.as_deref().is_none_or(|id| v.body == id))
        .collect();
    recorded_text(&votes, &mut out);
    emit(&out);
    Ok(())
}

/// Writes to stdout; a closed pipe (e.g. `| head`) ends the output quietly.
fn emit(s: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

/// A vote on a proposal: ballots, decision, reasons.
pub struct VoteResult {
    pub json: Value,
    pub text: String,
}

pub fn vote(s: &Scenario, a: &VoteArgs) -> anyhow::Result<VoteResult> {
    let candidates: Vec<&InstitutionSection> = s
        .inputs
        .institutions
        .iter()
        .filter(|i| a.institution.as_deref().is_none_or(|id| i.id == id))
        .collect();
    let sec = match (&a.institution, candidates.first()) {
        (Some(id), None) => {
            return Err(input_error(format!(
                "--institution: unknown institution `{id}`; expected one of {}",
                s.inputs.institutions.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
            )))
        }
        (Some(_), Some(i)) => *i,
        (None, _) => *candidates.iter().find(|i| !i.quota.is_empty()).ok_or_else(|| {
            input_error("the scenario has no institution with a weighted rule (quota and members) to vote in")
        })?,
    };
    let m = sec.model().map_err(|e| input_error(e.to_string()))?;
    let game = m.game.as_ref().ok_or_else(|| {
        input_error(format!(
            "institution `{}` has only a majority rule for recorded tallies; a vote needs its members (quota and members)",
            m.id
        ))
    })?;
    let ballots = sec
        .ballots(&s.inputs, &a.issue, a.proposal, a.status_quo)
        .map_err(|e| input_error(format!("--issue/--proposal: {e}")))?;
    let b: Vec<Ballot> = ballots.iter().map(|x| x.ballot).collect();
    let outcome = decide(game, &b, m.abstention_is_veto)?;
    let issue = s.issue(&a.issue).expect("checked by ballots");
    let sq = ballots.first().map(|x| x.status_quo).unwrap_or(0.0);
    let label = |x: f64| {
        issue
            .nearest_label(x)
            .filter(|p| (p.at - x).abs() < 1e-9)
            .map(|p| format!(" ({})", p.label))
            .unwrap_or_default()
    };
    // Reasons, computed.
    let mut reasons = Vec::new();
    for f in &outcome.failures {
        match f {
            Failure::Veto { member } => reasons.push(format!(
                "vetoed by {} (a veto holder voting no)",
                m.labels[*member]
            )),
            Failure::Quota { quota, got, need } => {
                let q = &game.quotas()[*quota];
                let equal = q.weights.iter().all(|&w| w == q.weights[0]);
                if equal {
                    let per = q.weights[0].max(1);
                    reasons.push(format!(
                        "{} yes vote(s) of the {} needed",
                        got / per,
                        need.div_ceil(per)
                    ));
                } else {
                    let scale = m.scales.get(*quota).copied().unwrap_or(1) as f64;
                    reasons.push(format!(
                        "yes weight {} of the {} needed (quota {})",
                        *got as f64 / scale,
                        *need as f64 / scale,
                        quota + 1
                    ));
                }
            }
        }
    }
    if outcome.passes {
        reasons.push(if outcome.by_complement {
            "fewer members outside than a blocking minority".to_string()
        } else {
            "every quota reached and no veto cast".to_string()
        });
    }
    let names = |v: &[usize]| v.iter().map(|&i| m.labels[i].clone()).collect::<Vec<_>>();
    let mut votes = Map::new();
    let mut why = Map::new();
    for x in &ballots {
        votes.insert(x.member.clone(), json!(x.ballot.as_str()));
        why.insert(x.member.clone(), json!(x.why()));
    }
    let no_stance: Vec<String> = ballots
        .iter()
        .filter(|x| x.position.is_none())
        .map(|x| x.member.clone())
        .collect();
    let json = json!({
        "institution": m.id,
        "issue": a.issue,
        "proposal": a.proposal,
        "status_quo": sq,
        "passes": outcome.passes,
        "votes": votes,
        "why": why,
        "yes": outcome.yes,
        "no": outcome.no,
        "abstain": outcome.abstain,
        "vetoed_by": names(&outcome.vetoed_by),
        "pivotal": names(&outcome.pivotal),
        "reasons": reasons,
        "without_position": no_stance,
    });
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Vote in {} [{}] on `{}`: proposal {}{} against the status quo {}{}",
        m.name,
        m.id,
        a.issue,
        a.proposal,
        label(a.proposal),
        sq,
        label(sq)
    );
    let _ = writeln!(
        t,
        "Result: {} — {}",
        if outcome.passes {
            "PASSES"
        } else if outcome.vetoed_by.is_empty() {
            "FAILS"
        } else {
            "BLOCKED"
        },
        reasons.join("; ")
    );
    let _ = writeln!(
        t,
        "  {} yes, {} no, {} abstain",
        outcome.yes, outcome.no, outcome.abstain
    );
    let mut tab = Table::new(["member", "vote", "veto", "why"]);
    for (i, x) in ballots.iter().enumerate() {
        let tag = if outcome.vetoed_by.contains(&i) {
            "VETO"
        } else if game.vetoes()[i] {
            "veto"
        } else {
            ""
        };
        tab.row([
            x.member.clone(),
            x.ballot.as_str().to_string(),
            tag.to_string(),
            x.why(),
        ]);
    }
    t.push_str(&tab.render(2));
    if !no_stance.is_empty() {
        let _ = writeln!(
            t,
            "  without a stance or position (cast their default): {}",
            no_stance.join(", ")
        );
    }
    let _ = writeln!(
        t,
        "  pivotal: {}",
        if outcome.pivotal.is_empty() {
            if outcome.passes {
                "none — no single yes vote's switch would defeat it".to_string()
            } else {
                "none — no single member's switch to yes would carry it".to_string()
            }
        } else {
            format!(
                "{} ({})",
                names(&outcome.pivotal).join(", "),
                if outcome.passes {
                    "each would defeat it by voting no"
                } else {
                    "each would carry it by voting yes"
                }
            )
        }
    );
    Ok(VoteResult { json, text: t })
}

pub fn run_vote(a: VoteArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let r = vote(&loaded.scenario, &a)?;
    if a.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&r.json)?));
    } else {
        emit(&r.text);
    }
    Ok(())
}

/// Appends this lens's part of the `analyze` report (nothing if the scenario has no institutions).
pub fn analyze_section(scenario: &Scenario, out: &mut String) -> anyhow::Result<()> {
    if scenario.inputs.institutions.is_empty() {
        return Ok(());
    }
    let mut a = default_args();
    a.index = ["shapley_shubik", "banzhaf", "holler", "johnston"]
        .map(String::from)
        .to_vec();
    a.list_limit = 6;
    let (powers, rule_only) = scenario_powers(scenario, &a)?;
    for p in &powers {
        power_text(p, false, out);
        out.push('\n');
    }
    for r in &rule_only {
        let _ = writeln!(out, "{r}");
    }
    if !rule_only.is_empty() {
        out.push('\n');
    }
    // Proposals on record in the year the inputs describe, put to each
    // weighted institution (one line per distinct point of a scale).
    let year = scenario
        .scenario
        .as_of
        .as_deref()
        .map(|d| d.get(..4).unwrap_or(d).to_string());
    let mut seen: Vec<(String, String, u64)> = Vec::new();
    let mut lines = Vec::new();
    for ev in scenario.events.iter().filter(|e| {
        e.kind == negotium_scenario::EventKind::Proposal
            && year.as_deref().is_none_or(|y| e.date.starts_with(y))
    }) {
        let (Some(issue), Some(x)) = (&ev.issue, ev.position) else {
            continue;
        };
        for inst in scenario
            .inputs
            .institutions
            .iter()
            .filter(|i| !i.quota.is_empty())
        {
            let key = (inst.id.clone(), issue.clone(), x.to_bits());
            if seen.contains(&key) {
                continue;
            }
            let Ok(ballots) = inst.ballots(&scenario.inputs, issue, x, None) else {
                continue;
            };
            let with_position = ballots.iter().filter(|b| b.position.is_some()).count();
            if with_position * 2 < ballots.len() {
                continue;
            }
            let va = VoteArgs {
                scenario: None,
                institution: Some(inst.id.clone()),
                issue: issue.clone(),
                proposal: x,
                status_quo: None,
                json: false,
            };
            let Ok(r) = vote(scenario, &va) else {
                continue;
            };
            seen.push(key);
            let list = |k: &str| {
                r.json[k]
                    .as_array()
                    .map(|v| {
                        v.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            };
            let mut why = Vec::new();
            if !list("vetoed_by").is_empty() {
                why.push(format!("vetoed by {}", list("vetoed_by")));
            }
            why.push(format!(
                "{} yes, {} no, {} abstain",
                r.json["yes"], r.json["no"], r.json["abstain"]
            ));
            if !list("pivotal").is_empty() {
                why.push(format!("pivotal: {}", list("pivotal")));
            }
            lines.push(format!(
                "  [{}] {issue} = {x} (first proposed {}: {}): {} — {}",
                inst.id,
                ev.date,
                ev.title,
                if r.json["passes"] == json!(true) {
                    "would pass"
                } else {
                    "would fail"
                },
                why.join("; ")
            ));
        }
    }
    if !lines.is_empty() {
        let _ = writeln!(
            out,
            "Proposals of {} put to each voting body (ballots: stance vs status quo; see `negotium vote`):",
            year.as_deref().unwrap_or("the record")
        );
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
        out.push('\n');
    }
    recorded_text(&check_recorded_votes(scenario), out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kosovo() -> Scenario {
        negotium_scenario::resolve("kosovo-status")
            .unwrap()
            .scenario
    }

    fn ahtisaari() -> VoteArgs {
        VoteArgs {
            scenario: None,
            institution: Some("unsc".into()),
            issue: "status".into(),
            proposal: 75.0,
            status_quo: None,
            json: true,
        }
    }

    #[test]
    fn the_ahtisaari_draft_is_blocked_by_computed_vetoes() {
        let s = kosovo();
        let r = vote(&s, &ahtisaari()).unwrap();
        assert_eq!(r.json["passes"], json!(false));
        let vetoes = r.json["vetoed_by"].as_array().unwrap();
        assert!(vetoes.contains(&json!("RUS")), "{vetoes:?}");
        assert_eq!(r.json["votes"]["RUS"], json!("no"));
        assert_eq!(r.json["votes"]["USA"], json!("yes"));
        // The reason is computed from the stances: move Russia and China to
        // the proposal and the same draft no longer meets a veto.
        let mut s2 = s.clone();
        for st in s2.inputs.stances.iter_mut() {
            if (st.actor == "RUS" || st.actor == "CHN") && st.issue == "status" {
                st.position = 75.0;
            }
        }
        let r2 = vote(&s2, &ahtisaari()).unwrap();
        assert_eq!(r2.json["vetoed_by"], json!([]));
        // Members without a position abstain, and the text says so.
        assert_eq!(r.json["votes"]["Ghana"], json!("abstain"));
        assert!(r.text.contains("without a stance or position"));
    }

    #[test]
    fn kosovo_power_json_has_the_contract_keys() {
        let v = lens_json(&kosovo(), &default_args()).unwrap();
        let unsc = &v["institutions"][0];
        assert_eq!(unsc["institution"], json!("unsc"));
        assert_eq!(unsc["winning_coalitions"], json!(848));
        assert_eq!(unsc["total_coalitions"], json!(32768));
        assert_eq!(unsc["exact"]["shapley_shubik"]["RUS"], json!("421/2145"));
        for k in [
            "shapley_shubik",
            "banzhaf",
            "banzhaf_absolute",
            "holler",
            "deegan_packel",
            "johnston",
        ] {
            assert!(unsc["indices"][k].is_object(), "{k}");
        }
        let rec = v["recorded_votes"].as_array().unwrap();
        let unga = rec.iter().find(|r| r["body"] == json!("unga")).unwrap();
        assert_eq!(unga["verdict"], json!("passes"));
    }

    #[test]
    fn params_map_onto_flags() {
        let a =
            args_from_params(&json!({"institution": "unsc", "index": "ss,bz", "seed": 3})).unwrap();
        assert_eq!(a.institution.as_deref(), Some("unsc"));
        assert_eq!(a.index, ["ss", "bz"]);
        assert!(args_from_params(&json!({"index": "nope"})).is_err());
        assert!(args_from_params(&json!({"colour": 1})).is_err());
        let v = lens_json(&kosovo(), &a).unwrap();
        assert_eq!(v["institutions"].as_array().unwrap().len(), 1);
        assert!(v["institutions"][0]["indices"]["holler"].is_null());
    }

    #[test]
    fn eu_council_scenario_computes_exactly() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/eu-council-2025.toml");
        let s = negotium_scenario::load_path(&path).unwrap().scenario;
        let v = lens_json(&s, &default_args()).unwrap();
        let inst = &v["institutions"][0];
        assert_eq!(inst["members"].as_array().unwrap().len(), 27);
        assert_eq!(inst["winning_coalitions"], json!(17729938));
        let ss = inst["indices"]["shapley_shubik"].as_object().unwrap();
        let total: f64 = ss.values().filter_map(Value::as_f64).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert!(ss["DEU"].as_f64() > ss["FRA"].as_f64());
        assert!(inst["methods"]["johnston"]
            .as_str()
            .unwrap()
            .starts_with("exact"));
    }
}
