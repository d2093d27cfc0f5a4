//! `negotium negotiate`, `pareto` and `tournament`: the negotiation-protocols lens.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

use clap::{Args, ValueEnum};
use negotium_bargain::analysis::Analysis;
use negotium_bargain::session::{
    negotiate, negotiate_by_issue, IssueReport, Prepared, Protocol, Report, Settings,
};
use negotium_bargain::single_text::MediatorKind;
use negotium_bargain::tournament::{run_job, schedule, summarize, Record, TournamentSpec};
use negotium_bargain::{Problem, StrategySpec};
use negotium_scenario::Scenario;
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use super::input_error;

/// Which protocol to run.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolArg {
    /// Stacked alternating offers.
    Sao,
    /// Mediated single negotiating text (each party can veto a change).
    SingleText,
}

#[derive(Args, Debug)]
pub struct NegotiateArgs {
    /// Built-in scenario id, scenario file, or a GENIUS domain directory.
    pub scenario: Option<String>,
    /// Protocol; without it (and without --strategies) a table of protocols × strategy pairs is shown.
    #[arg(long, value_enum)]
    pub protocol: Option<ProtocolArg>,
    /// Mediator of the single-text protocol: random, hill-climb or nash.
    #[arg(long, default_value = "nash")]
    pub mediator: String,
    /// Strategies, one per party in party order (or one for all): boulware,
    /// linear, conceder, hardheaded, aspiration:E, tft, micro, random.
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Step budget (default: the scenario's `steps`, else 100).
    #[arg(long)]
    pub steps: Option<u32>,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print (or include in JSON) the full negotiation trace.
    #[arg(long)]
    pub trace: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Points into which GENIUS `real` issues are discretised.
    #[arg(long, default_value_t = 11)]
    pub real_points: usize,
}

#[derive(Args, Debug)]
pub struct ParetoArgs {
    /// Built-in scenario id, scenario file, or a GENIUS domain directory.
    pub scenario: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many frontier points in text output.
    #[arg(long, default_value_t = 40)]
    pub limit: usize,
    /// Points into which GENIUS `real` issues are discretised.
    #[arg(long, default_value_t = 11)]
    pub real_points: usize,
}

#[derive(Args, Debug)]
pub struct TournamentArgs {
    /// Scenarios or GENIUS domain directories (default: kosovo-status).
    pub scenarios: Vec<String>,
    /// Strategies to compare (default: all built-ins).
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Repetitions of every pairing.
    #[arg(long, default_value_t = 1)]
    pub repetitions: u32,
    #[arg(long, default_value_t = 100)]
    pub steps: u32,
    /// Base seed; each negotiation's seed is derived from it and its index.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "sao")]
    pub protocol: ProtocolArg,
    /// Mediator of the single-text protocol: random, hill-climb or nash.
    #[arg(long, default_value = "nash")]
    pub mediator: String,
    /// Do not pair a strategy with itself.
    #[arg(long)]
    pub no_self_play: bool,
    /// Also run every issue of each scenario on its own (needs per-issue reservations).
    #[arg(long)]
    pub by_issue: bool,
    /// Write the results to PREFIX.csv and PREFIX.json.
    #[arg(long, default_value = "tournament")]
    pub out: String,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Points into which GENIUS `real` issues are discretised.
    #[arg(long, default_value_t = 11)]
    pub real_points: usize,
}

/// A problem and where it came from.
struct Loaded {
    problem: Problem,
    steps: Option<u32>,
}

fn load_problem(arg: Option<&str>, real_points: usize) -> anyhow::Result<Loaded> {
    if let Some(a) = arg {
        let p = Path::new(a);
        if p.is_dir() {
            if !negotium_scenario::genius::is_genius_dir(p) {
                return Err(input_error(format!(
                    "{a} is a directory without GENIUS .xml files; expected a domain file and two or more profiles"
                )));
            }
            let problem = negotium_scenario::genius::load_dir(p, real_points)
                .map_err(|e| input_error(e.to_string()))?;
            return Ok(Loaded {
                problem,
                steps: None,
            });
        }
    }
    let loaded = super::load_scenario(arg)?;
    problem_of(&loaded.scenario)
}

fn problem_of(s: &Scenario) -> anyhow::Result<Loaded> {
    let b = s.inputs.bargaining.as_ref().ok_or_else(|| {
        input_error(format!(
            "scenario `{}` has no [bargaining] section; add one (see docs/bargaining.md) or pass a GENIUS domain directory",
            s.scenario.id
        ))
    })?;
    let problem = b
        .to_problem(&s.scenario.id)
        .map_err(|e| input_error(format!("[bargaining] of `{}`: {e}", s.scenario.id)))?;
    Ok(Loaded {
        problem,
        steps: b.steps,
    })
}

fn strategies_for(names: &[String], n: usize) -> anyhow::Result<Vec<StrategySpec>> {
    let specs: Vec<StrategySpec> = names
        .iter()
        .map(|s| {
            s.parse()
                .map_err(|e: negotium_bargain::BargainError| input_error(e.to_string()))
        })
        .collect::<anyhow::Result<_>>()?;
    match specs.len() {
        0 => Ok(vec!["boulware".parse().expect("built-in"); n]),
        1 => Ok(vec![specs[0].clone(); n]),
        k if k == n => Ok(specs),
        k => Err(input_error(format!(
            "{k} strategies for {n} parties; give one per party (in party order) or one for all"
        ))),
    }
}

fn mediator(s: &str) -> anyhow::Result<MediatorKind> {
    s.parse()
        .map_err(|e: negotium_bargain::BargainError| input_error(e.to_string()))
}

fn protocol(p: ProtocolArg, med: &str) -> anyhow::Result<Protocol> {
    Ok(match p {
        ProtocolArg::Sao => Protocol::Sao,
        ProtocolArg::SingleText => Protocol::SingleText {
            mediator: mediator(med)?,
        },
    })
}

fn values_json(values: &[(String, String)]) -> Value {
    let mut m = Map::new();
    for (k, v) in values {
        m.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(m)
}

fn point_json(p: &Option<negotium_bargain::Point>) -> Value {
    p.as_ref()
        .map(|p| values_json(&p.values))
        .unwrap_or(Value::Null)
}

fn analysis_json(a: &Analysis) -> Value {
    let pt = |p: &Option<negotium_bargain::Point>| match p {
        None => Value::Null,
        Some(p) => json!({"values": values_json(&p.values), "utilities": p.utilities}),
    };
    json!({
        "outcomes": a.n_outcomes,
        "pareto_size": a.pareto_size,
        "pareto_outcomes": a.pareto.len(),
        "rational_outcomes": a.rational_outcomes,
        "zopa_outcomes": a.zopa_outcomes,
        "disagreement": a.disagreement,
        "nash": point_json(&a.nash),
        "kalai_smorodinsky": point_json(&a.kalai_smorodinsky),
        "egalitarian": point_json(&a.egalitarian),
        "max_welfare": point_json(&a.max_welfare),
        "points": {
            "nash": pt(&a.nash),
            "kalai_smorodinsky": pt(&a.kalai_smorodinsky),
            "egalitarian": pt(&a.egalitarian),
            "max_welfare": pt(&a.max_welfare),
        },
        "zopa_empty_issues": a.zopa_empty_issues(),
        "issues": a.issues.iter().map(|z| json!({
            "issue": z.issue, "zopa": z.zopa, "ideal": z.ideal, "nash": z.nash,
        })).collect::<Vec<_>>(),
    })
}

fn by_name(parties: &[String], xs: &[f64]) -> Value {
    let mut m = Map::new();
    for (p, x) in parties.iter().zip(xs) {
        m.insert(p.clone(), json!(x));
    }
    Value::Object(m)
}

fn end_text(r: &Report) -> String {
    use negotium_bargain::sao::End;
    match r.run.end {
        End::Agreement { .. } => format!("agreement at step {}", r.run.step),
        End::Timeout => format!("no agreement (deadline, {} steps)", r.run.step),
        End::Broken { by } if r.protocol == "single-text" => format!(
            "no agreement ({} rejected the final text after {} steps)",
            party_name(r, by),
            r.run.step
        ),
        End::Broken { by } => format!(
            "no agreement ({} walked away at step {})",
            party_name(r, by),
            r.run.step
        ),
    }
}

fn party_name(r: &Report, p: usize) -> String {
    r.party_names
        .get(p)
        .cloned()
        .unwrap_or_else(|| format!("party {p}"))
}

fn end_kind(r: &Report) -> &'static str {
    use negotium_bargain::sao::End;
    match r.run.end {
        End::Agreement { .. } => "agreement",
        End::Timeout => "timeout",
        End::Broken { .. } => "broken",
    }
}

fn report_json(prep: &Prepared, r: &Report, trace: bool) -> Value {
    let parties: Vec<String> = prep
        .problem
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let mut v = json!({
        "protocol": r.protocol,
        "strategies": by_name_str(&parties, &r.strategies),
        "agreement": r.agreement.as_ref().map(|a| values_json(a)).unwrap_or(Value::Null),
        "end": end_kind(r),
        "step": r.run.step,
        "offers": r.run.offers,
        "seed": r.run.seed,
        "utilities": by_name(&parties, &r.utilities),
        "discounted_utilities": by_name(&parties, &r.discounted),
        "distances": r.distances,
    });
    if trace {
        v["trace"] = trace_json(prep, r);
    }
    v
}

fn by_name_str(parties: &[String], xs: &[String]) -> Value {
    let mut m = Map::new();
    for (p, x) in parties.iter().zip(xs) {
        m.insert(p.clone(), json!(x));
    }
    Value::Object(m)
}

fn trace_json(prep: &Prepared, r: &Report) -> Value {
    use negotium_bargain::sao::Action;
    let who = |p: usize| {
        prep.problem
            .parties
            .get(p)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| "mediator".into())
    };
    Value::Array(
        r.run
            .trace
            .iter()
            .map(|e| {
                let (kind, o) = match e.action {
                    Action::Offer { outcome } => ("offer", Some(outcome)),
                    Action::Accept { outcome } => ("accept", Some(outcome)),
                    Action::Reject { outcome } => ("reject", Some(outcome)),
                    Action::End => ("end", None),
                };
                json!({
                    "step": e.step, "time": e.time, "party": who(e.party), "action": kind,
                    "outcome": o.map(|o| values_json(&prep.problem.domain.labels(o))),
                })
            })
            .collect(),
    )
}

fn short(values: &[(String, String)]) -> String {
    values
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn fmt_utils(parties: &[String], u: &[f64]) -> String {
    parties
        .iter()
        .zip(u)
        .map(|(p, x)| format!("{p} {x:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The analysis part of the text report.
fn analysis_text(prep: &Prepared, out: &mut String) {
    let a = &prep.analysis;
    let parties: Vec<String> = a.parties.clone();
    let p = &prep.problem;
    let _ = writeln!(
        out,
        "{} — parties {}; {} issues, {} outcomes",
        p.name,
        parties.join(", "),
        p.domain.issues.len(),
        a.n_outcomes
    );
    let _ = writeln!(
        out,
        "reservation values: {}",
        fmt_utils(&parties, &a.reservation)
    );
    if !a.issues.is_empty() {
        let _ = writeln!(
            out,
            "\nZone of agreement per issue (values every party prefers to its alternative on that issue):"
        );
        let w = a
            .issues
            .iter()
            .map(|z| z.issue.len())
            .max()
            .unwrap_or(5)
            .max(5);
        for z in &a.issues {
            let ideals = parties
                .iter()
                .zip(&z.ideal)
                .map(|(p, v)| format!("{p}: {v}"))
                .collect::<Vec<_>>()
                .join("; ");
            if z.zopa.is_empty() {
                let _ = writeln!(
                    out,
                    "  {:<w$}  EMPTY            (best for {ideals})",
                    z.issue
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {:<w$}  {}  (Nash: {})",
                    z.issue,
                    z.zopa.join(" | "),
                    z.nash.clone().unwrap_or_else(|| "-".into())
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\nWhole package: {} outcomes every party strictly prefers to its alternative (zone of agreement), {} weakly; Pareto frontier: {} points ({} outcomes)",
        a.zopa_outcomes,
        a.rational_outcomes,
        a.pareto_size,
        a.pareto.len()
    );
    let sol = |name: &str, pt: &Option<negotium_bargain::Point>, out: &mut String| match pt {
        Some(pt) => {
            let _ = writeln!(
                out,
                "  {name:<18} {}  [{}]",
                short(&pt.values),
                fmt_utils(&parties, &pt.utilities)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  {name:<18} none: no package is at least as good as every party's alternative"
            );
        }
    };
    sol("Nash", &a.nash, out);
    sol("Kalai–Smorodinsky", &a.kalai_smorodinsky, out);
    sol("egalitarian", &a.egalitarian, out);
    sol("max welfare", &a.max_welfare, out);
}

fn issue_results_text(parties: &[String], rs: &[IssueReport]) -> String {
    let agreed: Vec<String> = rs
        .iter()
        .filter_map(|r| {
            r.report
                .agreement
                .as_ref()
                .map(|a| format!("{}={}", r.issue, a[0].1))
        })
        .collect();
    let failed: Vec<String> = rs
        .iter()
        .filter(|r| r.report.agreement.is_none())
        .map(|r| r.issue.clone())
        .collect();
    let _ = parties;
    format!(
        "agreed {}/{}: {}; no agreement: {}",
        agreed.len(),
        rs.len(),
        if agreed.is_empty() {
            "-".into()
        } else {
            agreed.join(", ")
        },
        if failed.is_empty() {
            "-".into()
        } else {
            failed.join(", ")
        }
    )
}

const DEFAULT_PAIRS: [&str; 6] = [
    "boulware",
    "conceder",
    "boulware,conceder",
    "conceder,boulware",
    "micro",
    "tft",
];

/// One requested negotiation, run: everything both outputs need.
struct Run {
    loaded: Loaded,
    steps: u32,
    n: usize,
    by_issue_ok: bool,
    prep: Prepared,
    parties: Vec<String>,
    explicit: bool,
    report: Report,
    issue_reports: Option<Vec<IssueReport>>,
}

fn run_requested(loaded: Loaded, args: &NegotiateArgs) -> anyhow::Result<Run> {
    let steps = args.steps.or(loaded.steps).unwrap_or(100);
    if steps == 0 {
        return Err(input_error("--steps must be at least 1"));
    }
    let n = loaded.problem.parties.len();
    let by_issue_ok =
        loaded.problem.has_issue_reservations() && loaded.problem.domain.issues.len() > 1;
    let prep = Prepared::new(loaded.problem.clone());
    let parties: Vec<String> = prep
        .problem
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let explicit = args.protocol.is_some() || !args.strategies.is_empty();
    let proto = protocol(args.protocol.unwrap_or(ProtocolArg::Sao), &args.mediator)?;
    let settings = Settings {
        protocol: proto,
        strategies: strategies_for(&args.strategies, n)?,
        n_steps: steps,
        seed: args.seed,
        trace: args.trace,
    };
    let report = negotiate(&prep, &settings).map_err(|e| input_error(e.to_string()))?;
    let issue_reports = if by_issue_ok {
        Some(
            negotiate_by_issue(&loaded.problem, &settings)
                .map_err(|e| input_error(e.to_string()))?,
        )
    } else {
        None
    };
    Ok(Run {
        loaded,
        steps,
        n,
        by_issue_ok,
        prep,
        parties,
        explicit,
        report,
        issue_reports,
    })
}

/// The `negotiate --json` result of a run.
fn run_json(r: &Run, args: &NegotiateArgs) -> Value {
    let (prep, report, parties, steps) = (&r.prep, &r.report, &r.parties, r.steps);
    let issue_reports = &r.issue_reports;
    {
        let mut v = report_json(prep, report, args.trace);
        v["parties"] = json!(parties);
        v["steps"] = json!(steps);
        v["reservation"] = by_name(parties, &prep.space.reservation);
        v["analysis"] = analysis_json(&prep.analysis);
        if let Some(rs) = &issue_reports {
            v["issue_by_issue"] = Value::Array(
                rs.iter()
                    .map(|r| {
                        json!({
                            "issue": r.issue,
                            "zopa": r.zopa,
                            "agreement": r.report.agreement.as_ref().map(|a| Value::String(a[0].1.clone())).unwrap_or(Value::Null),
                            "end": end_kind(&r.report),
                            "step": r.report.run.step,
                            "offers": r.report.run.offers,
                            "utilities": by_name(parties, &r.report.utilities),
                        })
                    })
                    .collect(),
            );
        }
        v
    }
}

/// The negotiation lens's JSON (the `negotiate --json` contract) for a
/// scenario's `[bargaining]` section, with parameters named like the
/// command's flags (`protocol`, `strategies`, `steps`, `seed`, `trace`, …);
/// used by the report and the workbench.
pub fn lens_json(scenario: &Scenario, params: &Value) -> anyhow::Result<Value> {
    let args = super::lenses::parse_params::<NegotiateFlags>(params, &["scenario", "json"])?.args;
    let r = run_requested(problem_of(scenario)?, &args)?;
    Ok(run_json(&r, &args))
}

/// The `pareto --json` result for a scenario's `[bargaining]` section.
pub fn pareto_lens_json(scenario: &Scenario, params: &Value) -> anyhow::Result<Value> {
    // Checked like the command's flags, though none changes the JSON: `limit`
    // only shortens the text output and `real_points` applies to GENIUS files.
    super::lenses::parse_params::<ParetoFlags>(params, &["scenario", "json"])?;
    Ok(pareto_json(&Prepared::new(problem_of(scenario)?.problem)))
}

#[derive(clap::Parser)]
#[command(name = "negotiate", no_binary_name = true)]
struct NegotiateFlags {
    #[command(flatten)]
    args: NegotiateArgs,
}

#[derive(clap::Parser)]
#[command(name = "pareto", no_binary_name = true)]
struct ParetoFlags {
    #[command(flatten)]
    args: ParetoArgs,
}

pub fn run_negotiate(args: NegotiateArgs) -> anyhow::Result<()> {
    let loaded = load_problem(args.scenario.as_deref(), args.real_points)?;
    let r = run_requested(loaded, &args)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&run_json(&r, &args))?);
        return Ok(());
    }
    let Run {
        loaded,
        steps,
        n,
        by_issue_ok,
        prep,
        parties,
        explicit,
        report,
        issue_reports,
    } = r;
    let mut out = String::new();
    analysis_text(&prep, &mut out);
    let _ = writeln!(out);
    if explicit {
        let _ = writeln!(
            out,
            "Run: {} with {} (steps {steps}, seed {})",
            report.protocol,
            report.strategies.join(" vs "),
            args.seed
        );
        let _ = writeln!(
            out,
            "  whole package: {}, {} offers",
            end_text(&report),
            report.run.offers
        );
        if let Some(a) = &report.agreement {
            let _ = writeln!(out, "    agreement: {}", short(a));
        }
        let _ = writeln!(
            out,
            "    utilities: {}",
            fmt_utils(&parties, &report.utilities)
        );
        if let Some(d) = &report.distances {
            let _ = writeln!(
                out,
                "    distance to Pareto {:.3}, Nash {}, Kalai–Smorodinsky {}",
                d.pareto,
                d.nash.map(|x| format!("{x:.3}")).unwrap_or("-".into()),
                d.kalai_smorodinsky
                    .map(|x| format!("{x:.3}"))
                    .unwrap_or("-".into())
            );
        }
        if let Some(rs) = &issue_reports {
            let _ = writeln!(
                out,
                "  issue by issue: {}",
                issue_results_text(&parties, rs)
            );
        }
        if args.trace {
            let _ = writeln!(out, "\nTrace:");
            for e in trace_json(&prep, &report).as_array().into_iter().flatten() {
                let _ = writeln!(
                    out,
                    "  step {:>3}  t={:.3}  {:<8} {:<6} {}",
                    e["step"],
                    e["time"].as_f64().unwrap_or(0.0),
                    e["party"].as_str().unwrap_or(""),
                    e["action"].as_str().unwrap_or(""),
                    e["outcome"]
                        .as_object()
                        .map(|m| m
                            .iter()
                            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                            .collect::<Vec<_>>()
                            .join(", "))
                        .unwrap_or_default()
                );
            }
        }
    } else {
        let _ = writeln!(
            out,
            "How each protocol and strategy pair ended (steps {steps}, seed {}; strategies in party order {}):",
            args.seed,
            parties.join("/")
        );
        for proto in [
            Protocol::Sao,
            Protocol::SingleText {
                mediator: mediator(&args.mediator)?,
            },
        ] {
            for pair in DEFAULT_PAIRS {
                let names: Vec<String> = pair.split(',').map(String::from).collect();
                if names.len() > 1 && names.len() != n {
                    continue;
                }
                let s = Settings {
                    protocol: proto,
                    strategies: strategies_for(&names, n)?,
                    n_steps: steps,
                    seed: args.seed,
                    trace: false,
                };
                let r = negotiate(&prep, &s).map_err(|e| input_error(e.to_string()))?;
                let label = format!("{:<12} {:<20}", r.protocol, r.strategies.join("/"));
                let pkg = match &r.agreement {
                    Some(a) => format!(
                        "package agreed at step {}: {} [{}]",
                        r.run.step,
                        short(a),
                        fmt_utils(&parties, &r.utilities)
                    ),
                    None => format!("package: {}", end_text(&r)),
                };
                let _ = writeln!(out, "  {label} {pkg}");
                if by_issue_ok {
                    let rs = negotiate_by_issue(&loaded.problem, &s)
                        .map_err(|e| input_error(e.to_string()))?;
                    let _ = writeln!(
                        out,
                        "  {:<33} issue by issue: {}",
                        "",
                        issue_results_text(&parties, &rs)
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "\n(--protocol/--strategies run one negotiation; --trace shows its offers; --json gives the machine-readable result)"
        );
    }
    print!("{out}");
    Ok(())
}

pub fn run_pareto(args: ParetoArgs) -> anyhow::Result<()> {
    let loaded = load_problem(args.scenario.as_deref(), args.real_points)?;
    let prep = Prepared::new(loaded.problem);
    let parties: Vec<String> = prep
        .problem
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&pareto_json(&prep))?);
        return Ok(());
    }
    let mut out = String::new();
    analysis_text(&prep, &mut out);
    let _ = writeln!(out, "\nPareto frontier (by decreasing welfare):");
    for &o in prep.analysis.pareto.iter().take(args.limit) {
        let _ = writeln!(
            out,
            "  [{}]  {}",
            fmt_utils(&parties, &prep.space.point(o)),
            short(&prep.problem.domain.labels(o))
        );
    }
    if prep.analysis.pareto.len() > args.limit {
        let _ = writeln!(
            out,
            "  … {} more (--limit N or --json)",
            prep.analysis.pareto.len() - args.limit
        );
    }
    print!("{out}");
    Ok(())
}

/// The `pareto --json` result: the analysis plus every frontier point.
fn pareto_json(prep: &Prepared) -> Value {
    let parties: Vec<String> = prep
        .problem
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let mut v = analysis_json(&prep.analysis);
    v["parties"] = json!(parties);
    v["reservation"] = by_name(&parties, &prep.space.reservation);
    v["frontier"] = Value::Array(
        prep.analysis
            .pareto
            .iter()
            .map(|&o| {
                json!({
                    "values": values_json(&prep.problem.domain.labels(o)),
                    "utilities": by_name(&parties, &prep.space.point(o)),
                })
            })
            .collect(),
    );
    v
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_default()
}

/// The long-format results table: one row per negotiation and party.
pub fn records_csv(records: &[Record], parties: &[Vec<String>], problem_index: &[usize]) -> String {
    let mut s = String::from(
        "index,problem,repetition,seed,party,role,strategy,agreement,step,offers,utility,reservation,dist_pareto,dist_nash\n",
    );
    for (r, &pi) in records.iter().zip(problem_index) {
        for (k, st) in r.strategies.iter().enumerate() {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                r.index,
                csv_field(&r.problem),
                r.repetition,
                r.seed,
                csv_field(parties[pi].get(k).map(String::as_str).unwrap_or("")),
                k,
                csv_field(st),
                r.agreement,
                r.step,
                r.offers,
                r.utilities[k],
                r.reservation[k],
                r.dist_pareto,
                opt(r.dist_nash)
            );
        }
    }
    s
}

pub fn run_tournament(args: TournamentArgs) -> anyhow::Result<()> {
    let names: Vec<String> = if args.scenarios.is_empty() {
        vec![super::DEFAULT_SCENARIO.to_string()]
    } else {
        args.scenarios.clone()
    };
    let mut problems = Vec::new();
    for n in &names {
        let l = load_problem(Some(n), args.real_points)?;
        if args.by_issue && l.problem.has_issue_reservations() && l.problem.domain.issues.len() > 1
        {
            for k in 0..l.problem.domain.issues.len() {
                problems.push(Prepared::new(
                    l.problem
                        .restrict_to_issue(k)
                        .map_err(|e| input_error(e.to_string()))?,
                ));
            }
        }
        problems.push(Prepared::new(l.problem));
    }
    let strategies: Vec<StrategySpec> = if args.strategies.is_empty() {
        StrategySpec::builtins()
    } else {
        args.strategies
            .iter()
            .map(|s| {
                s.parse()
                    .map_err(|e: negotium_bargain::BargainError| input_error(e.to_string()))
            })
            .collect::<anyhow::Result<_>>()?
    };
    let spec = TournamentSpec {
        strategies,
        protocol: protocol(args.protocol, &args.mediator)?,
        repetitions: args.repetitions,
        n_steps: args.steps,
        seed: args.seed,
        self_play: !args.no_self_play,
    };
    if spec.n_steps == 0 {
        return Err(input_error("--steps must be at least 1"));
    }
    let jobs = schedule(&problems, &spec).map_err(|e| input_error(e.to_string()))?;
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(jobs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} negotiations, {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let records: Vec<Record> = jobs
        .par_iter()
        .map(|j| {
            let r = run_job(&problems, &spec, j);
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect::<Result<_, _>>()
        .map_err(|e| input_error(e.to_string()))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let summary = summarize(&spec, &records);
    let parties: Vec<Vec<String>> = problems
        .iter()
        .map(|p| p.problem.parties.iter().map(|x| x.name.clone()).collect())
        .collect();
    let problem_index: Vec<usize> = jobs.iter().map(|j| j.problem).collect();
    let csv_path = format!("{}.csv", args.out);
    let json_path = format!("{}.json", args.out);
    std::fs::write(&csv_path, records_csv(&records, &parties, &problem_index))
        .map_err(|e| anyhow::anyhow!("cannot write {csv_path}: {e}"))?;
    let full = json!({
        "spec": spec,
        "problems": problems.iter().map(|p| &p.problem.name).collect::<Vec<_>>(),
        "summary": summary,
        "records": records,
    });
    std::fs::write(&json_path, serde_json::to_string_pretty(&full)?)
        .map_err(|e| anyhow::anyhow!("cannot write {json_path}: {e}"))?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"summary": summary, "csv": csv_path, "json": json_path})
            )?
        );
        return Ok(());
    }
    println!(
        "{} negotiations ({} problems × role assignments × {} repetitions, {}, {} steps, seed {})",
        records.len(),
        problems.len(),
        spec.repetitions,
        spec.protocol.name(),
        spec.n_steps,
        spec.seed
    );
    println!(
        "{:<14} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "strategy", "runs", "agree", "utility", "advantage", "d_pareto", "d_nash"
    );
    for s in &summary {
        println!(
            "{:<14} {:>6} {:>9.1}% {:>10.3} {:>10.3} {:>10.3} {:>10}",
            s.strategy,
            s.negotiations,
            100.0 * s.agreement_rate,
            s.mean_utility,
            s.mean_advantage,
            s.mean_dist_pareto,
            s.mean_dist_nash
                .map(|x| format!("{x:.3}"))
                .unwrap_or("-".into())
        );
    }
    println!("results: {csv_path}, {json_path}");
    Ok(())
}

/// Appends this lens's part of the `analyze` report (nothing if the scenario has no `[bargaining]`).
pub fn analyze_section(scenario: &Scenario, out: &mut String) -> anyhow::Result<()> {
    if scenario.inputs.bargaining.is_none() {
        return Ok(());
    }
    let loaded = problem_of(scenario)?;
    let steps = loaded.steps.unwrap_or(100);
    let prep = Prepared::new(loaded.problem.clone());
    let parties: Vec<String> = prep
        .problem
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect();
    analysis_text(&prep, out);
    let by_issue_ok =
        loaded.problem.has_issue_reservations() && loaded.problem.domain.issues.len() > 1;
    let _ = writeln!(out, "\nRuns (steps {steps}, seed 0):");
    for proto in [
        Protocol::Sao,
        Protocol::SingleText {
            mediator: MediatorKind::Nash,
        },
    ] {
        for pair in ["boulware", "conceder"] {
            let s = Settings {
                protocol: proto,
                strategies: strategies_for(&[pair.to_string()], parties.len())?,
                n_steps: steps,
                seed: 0,
                trace: false,
            };
            let r = negotiate(&prep, &s)?;
            let pkg = match &r.agreement {
                Some(a) => format!("package agreed: {}", short(a)),
                None => format!("package: {}", end_text(&r)),
            };
            let _ = writeln!(
                out,
                "  {:<12} {:<20} {pkg}",
                r.protocol,
                r.strategies.join("/")
            );
            if by_issue_ok {
                let rs = negotiate_by_issue(&loaded.problem, &s)?;
                let _ = writeln!(
                    out,
                    "  {:<33} issue by issue: {}",
                    "",
                    issue_results_text(&parties, &rs)
                );
            }
        }
    }
    out.push('\n');
    Ok(())
}
