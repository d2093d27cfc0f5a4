//! The negotiation lenses as text: the outcome space's analysis, one run
//! (with its trace), a comparison of protocols and strategy pairs, the
//! Pareto frontier, and a tournament's summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use negotium_analysis::bargaining::{AnalysisOut, PointOut, Values};
use negotium_analysis::negotiate::{IssueRun, NegotiateParams, NegotiateResult};
use negotium_analysis::pareto::{ParetoParams, ParetoResult};
use negotium_analysis::tournament::TournamentResult;

/// `issue=value` pairs in the domain's issue order.
fn short(issues: &[String], values: &Values) -> String {
    let mut parts: Vec<String> = issues
        .iter()
        .filter_map(|i| values.get(i).map(|v| format!("{i}={v}")))
        .collect();
    for (k, v) in values {
        if !issues.contains(k) {
            parts.push(format!("{k}={v}"));
        }
    }
    parts.join(", ")
}

fn fmt_utils(parties: &[String], u: &[f64]) -> String {
    parties
        .iter()
        .zip(u)
        .map(|(p, x)| format!("{p} {x:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn in_order(parties: &[String], m: &BTreeMap<String, f64>) -> Vec<f64> {
    parties
        .iter()
        .map(|p| m.get(p).copied().unwrap_or(f64::NAN))
        .collect()
}

/// The analysis part: parties, reservation values, zones of agreement per
/// issue, and the solution points of the whole package.
pub fn analysis(
    problem: &str,
    issues: &[String],
    parties: &[String],
    reservation: &BTreeMap<String, f64>,
    a: &AnalysisOut,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{problem} — parties {}; {} issues, {} outcomes",
        parties.join(", "),
        issues.len(),
        a.outcomes_text
    );
    let _ = writeln!(
        out,
        "analysis: {} ({}); frontier {}",
        a.method,
        if a.method == "enumerated" {
            "every outcome evaluated"
        } else {
            "nothing enumerated"
        },
        a.frontier_quality.label
    );
    for n in &a.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let _ = writeln!(
        out,
        "reservation values: {}",
        fmt_utils(parties, &in_order(parties, reservation))
    );
    if !a.issues.is_empty() {
        let _ = writeln!(
            out,
            "\nZone of agreement per issue (values every party prefers to its alternative on that issue):"
        );
        let w = crate::label_width(a.issues.iter().map(|z| z.issue.as_str()), 5);
        for z in &a.issues {
            let issue = crate::pad(&crate::fit(&z.issue, w), w, crate::Align::Left);
            let ideals = parties
                .iter()
                .zip(&z.ideal)
                .map(|(p, v)| format!("{p}: {v}"))
                .collect::<Vec<_>>()
                .join("; ");
            if z.zopa.is_empty() {
                let _ = writeln!(out, "  {}  EMPTY            (best for {ideals})", issue);
            } else {
                let _ = writeln!(
                    out,
                    "  {}  {}  (Nash: {})",
                    issue,
                    z.zopa.join(" | "),
                    z.nash.clone().unwrap_or_else(|| "-".into())
                );
            }
        }
    }
    match (a.zopa_outcomes, a.rational_outcomes) {
        (Some(z), Some(r)) => {
            let _ = writeln!(
                out,
                "\nWhole package: {z} outcomes every party strictly prefers to its alternative (zone of agreement), {r} weakly; Pareto frontier: {} points{}, {}",
                a.pareto_size,
                a.pareto_outcomes
                    .map(|n| format!(" ({n} outcomes)"))
                    .unwrap_or_default(),
                a.frontier_quality.label
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "\nWhole package: zone of agreement not counted (the space is not enumerated); Pareto frontier: {} points listed, {}",
                a.pareto_size, a.frontier_quality.label
            );
        }
    }
    let sol = |name: &str, pt: &Option<PointOut>, out: &mut String| match pt {
        Some(pt) => {
            let _ = writeln!(
                out,
                "  {name:<18} {}  [{}]",
                short(issues, &pt.values),
                fmt_utils(parties, &pt.utilities)
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  {name:<18} none: no package is at least as good as every party's alternative"
            );
        }
    };
    sol("Nash", &a.points.nash, &mut out);
    sol("Kalai–Smorodinsky", &a.points.kalai_smorodinsky, &mut out);
    sol("egalitarian", &a.points.egalitarian, &mut out);
    sol("max welfare", &a.points.max_welfare, &mut out);
    out
}

fn result_analysis(r: &NegotiateResult) -> String {
    analysis(
        &r.problem,
        &r.issue_names,
        &r.parties,
        &r.reservation,
        &r.analysis,
    )
}

/// How a run ended, in words.
pub fn end_text(r: &NegotiateResult) -> String {
    let by = r.ended_by.as_deref().unwrap_or("?");
    match r.end.as_str() {
        "agreement" => format!("agreement at step {}", r.step),
        "timeout" => format!("no agreement (deadline, {} steps)", r.step),
        _ if r.protocol == "single-text" => format!(
            "no agreement ({by} rejected the final text after {} steps)",
            r.step
        ),
        _ => format!("no agreement ({by} walked away at step {})", r.step),
    }
}

fn strategies(r: &NegotiateResult) -> Vec<String> {
    r.parties
        .iter()
        .map(|p| r.strategies.get(p).cloned().unwrap_or_default())
        .collect()
}

/// Issue-by-issue results in one line.
pub fn issue_results(rs: &[IssueRun]) -> String {
    let agreed: Vec<String> = rs
        .iter()
        .filter_map(|r| r.agreement.as_ref().map(|a| format!("{}={a}", r.issue)))
        .collect();
    let failed: Vec<String> = rs
        .iter()
        .filter(|r| r.agreement.is_none())
        .map(|r| r.issue.clone())
        .collect();
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

/// The text of `negotium negotiate` with a protocol or strategies: the
/// analysis, then the run (and its trace when asked for).
pub fn run(r: &NegotiateResult, params: &NegotiateParams) -> String {
    let mut out = result_analysis(r);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Run: {} with {} (steps {}, seed {})",
        r.protocol,
        strategies(r).join(" vs "),
        r.steps,
        params.seed
    );
    let _ = writeln!(out, "  whole package: {}, {} offers", end_text(r), r.offers);
    if let Some(a) = &r.agreement {
        let _ = writeln!(out, "    agreement: {}", short(&r.issue_names, a));
    }
    let _ = writeln!(
        out,
        "    utilities: {}",
        fmt_utils(&r.parties, &in_order(&r.parties, &r.utilities))
    );
    if let Some(d) = &r.distances {
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
    if let Some(rs) = &r.issue_by_issue {
        let _ = writeln!(out, "  issue by issue: {}", issue_results(rs));
    }
    if let Some(trace) = r.trace.as_ref().filter(|_| params.trace) {
        let _ = writeln!(out, "\nTrace:");
        for e in trace {
            let _ = writeln!(
                out,
                "  step {}  t={:.3}  {:<8} {:<6} {}",
                e.step,
                e.time,
                e.party,
                e.action,
                e.outcome
                    .as_ref()
                    .map(|m| m
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default()
            );
        }
    }
    out
}

/// The text of `negotium negotiate` without a protocol or strategies: the
/// analysis, then how each protocol and strategy pair ended (`runs` from
/// `negotium_analysis::negotiate::compare`).
pub fn comparison(runs: &[NegotiateResult], params: &NegotiateParams) -> String {
    let Some(first) = runs.first() else {
        return String::new();
    };
    let mut out = result_analysis(first);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "How each protocol and strategy pair ended (steps {}, seed {}; strategies in party order {}):",
        first.steps,
        params.seed,
        first.parties.join("/")
    );
    for r in runs {
        let label = format!("{:<12} {:<20}", r.protocol, strategies(r).join("/"));
        let pkg = match &r.agreement {
            Some(a) => format!(
                "package agreed at step {}: {} [{}]",
                r.step,
                short(&r.issue_names, a),
                fmt_utils(&r.parties, &in_order(&r.parties, &r.utilities))
            ),
            None => format!("package: {}", end_text(r)),
        };
        let _ = writeln!(out, "  {label} {pkg}");
        if let Some(rs) = &r.issue_by_issue {
            let _ = writeln!(out, "  {:<33} issue by issue: {}", "", issue_results(rs));
        }
    }
    let _ = writeln!(
        out,
        "\n(--protocol/--strategies run one negotiation; --trace shows its offers; --json gives the machine-readable result)"
    );
    out
}

/// The negotiation part of the `analyze` report: the analysis, then one
/// line per run (package and issue by issue).
pub fn runs_section(runs: &[NegotiateResult]) -> String {
    let Some(first) = runs.first() else {
        return String::new();
    };
    let mut out = result_analysis(first);
    let _ = writeln!(out, "\nRuns (steps {}, seed {}):", first.steps, first.seed);
    for r in runs {
        let pkg = match &r.agreement {
            Some(a) => format!("package agreed: {}", short(&r.issue_names, a)),
            None => format!("package: {}", end_text(r)),
        };
        let _ = writeln!(
            out,
            "  {:<12} {:<20} {pkg}",
            r.protocol,
            strategies(r).join("/")
        );
        if let Some(rs) = &r.issue_by_issue {
            let _ = writeln!(out, "  {:<33} issue by issue: {}", "", issue_results(rs));
        }
    }
    out.push('\n');
    out
}

/// The text of `negotium pareto`: the analysis and the first `limit`
/// frontier points.
pub fn pareto(r: &ParetoResult, params: &ParetoParams) -> String {
    let mut out = analysis(
        &r.problem,
        &r.issue_names,
        &r.parties,
        &r.reservation,
        &r.analysis,
    );
    let _ = writeln!(out, "\nPareto frontier (by decreasing welfare):");
    for f in r.frontier.iter().take(params.limit) {
        let _ = writeln!(
            out,
            "  [{}]  {}",
            fmt_utils(&r.parties, &in_order(&r.parties, &f.utilities)),
            short(&r.issue_names, &f.values)
        );
    }
    if r.frontier.len() > params.limit {
        let _ = writeln!(
            out,
            "  … {} more (--limit N or --json)",
            r.frontier.len() - params.limit
        );
    }
    out
}

/// A tournament's summary table.
pub fn tournament(r: &TournamentResult) -> String {
    let mut out = String::new();
    let protocol = match &r.spec.protocol {
        negotium_analysis::tournament::ProtocolOut::Sao => "sao",
        negotium_analysis::tournament::ProtocolOut::SingleText { .. } => "single-text",
    };
    let _ = writeln!(
        out,
        "{} negotiations ({} problems × role assignments × {} repetitions, {}, {} steps, seed {})",
        r.records.len(),
        r.problems.len(),
        r.spec.repetitions,
        protocol,
        r.spec.n_steps,
        r.spec.seed
    );
    for n in &r.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let _ = writeln!(
        out,
        "{:<14} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "strategy", "runs", "agree", "utility", "advantage", "welfare", "d_pareto", "d_nash"
    );
    for s in &r.summary {
        let _ = writeln!(
            out,
            "{:<14} {:>6} {:>9.1}% {:>10.3} {:>10.3} {:>10.3} {:>10.3} {:>10}",
            s.strategy,
            s.negotiations,
            100.0 * s.agreement_rate,
            s.mean_utility,
            s.mean_advantage,
            s.mean_welfare,
            s.mean_dist_pareto,
            s.mean_dist_nash
                .map(|x| format!("{x:.3}"))
                .unwrap_or("-".into())
        );
    }
    out
}
