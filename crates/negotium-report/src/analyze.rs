//! The `analyze` report as text: the verdict first, then a compact summary
//! of each lens (or, with `detail`, every lens's full tables), with every
//! model, concept and index defined in a footnote where it first appears.

use std::fmt::Write as _;

use negotium_analysis::analyze::{AnalyzeParams, AnalyzeResult, ProposalVote, Proposals};
use negotium_analysis::conflict::{concept_label, ConflictResult};
use negotium_analysis::history::date_key;
use negotium_analysis::negotiate::NegotiateResult;
use negotium_analysis::pareto::ParetoResult;
use negotium_analysis::power::{index_label, PowerParams, PowerResult};
use negotium_analysis::verdict::{and_list, state_in_words, Accord, Finding};
use negotium_scenario::spatial::ForecastReport;
use negotium_scenario::Event;

use crate::glossary::{concept_key, Notes};
use crate::{num, Align, Table};

/// The concepts in the order GMCR texts give them.
const CONCEPTS: [&str; 6] = ["nash", "gmr", "smr", "seq", "sim", "seq_sim"];

/// The indices the text shows (the JSON has them all).
const INDICES: [&str; 4] = ["shapley_shubik", "banzhaf", "holler", "johnston"];

/// Events shown on each side of `as_of` without `detail`.
const EVENTS_SHOWN: usize = 6;

/// The whole `analyze` text.
pub fn render(r: &AnalyzeResult, p: &AnalyzeParams) -> String {
    let mut out = String::new();
    let rule = "═".repeat(78);
    let _ = writeln!(out, "{rule}\n{}", r.title);
    let _ = writeln!(
        out,
        "scenario `{}` from {}{} — {} actors, {} {}, {} stances, {} dated events",
        r.scenario,
        r.source,
        r.as_of
            .as_ref()
            .map(|d| format!(", inputs as of {d}"))
            .unwrap_or_default(),
        r.size.actors,
        r.size.issues,
        if r.size.issues == 1 {
            "issue"
        } else {
            "issues"
        },
        r.size.stances,
        r.size.events
    );
    let _ = writeln!(out, "{rule}\n");
    out.push_str(&verdict(r));
    let _ = writeln!(
        out,
        "{}\n",
        if p.detail {
            "(Every lens's full tables follow; --json gives everything as data.)"
        } else {
            "(A compact summary of each lens follows; --detail shows the full tables, --json everything as data.)"
        }
    );
    // Terms defined under the verdict are not footnoted again.
    let mut notes = Notes::defined(&verdict_terms(r));
    let section = |out: &mut String, title: &str, mut body: String, notes: &mut Notes| {
        let foot = notes.flush();
        if !foot.is_empty() {
            body.push_str("\n  Terms:\n");
            body.push_str(&foot);
        }
        let _ = write!(out, "{title}\n\n{body}\n");
    };
    if let Some(f) = &r.forecast {
        let body = forecast(r, f, p.detail, &mut notes);
        section(&mut out, "SPATIAL FORECASTS", body, &mut notes);
    }
    if let Some(c) = &r.conflict {
        let body = conflict(c, p.detail, &mut notes);
        section(&mut out, "STRATEGIC CONFLICT (GMCR)", body, &mut notes);
    } else if let Some(why) = &r.conflict_skipped {
        let body = format!("  Not analysed: {why}\n");
        section(&mut out, "STRATEGIC CONFLICT (GMCR)", body, &mut notes);
    }
    if let Some(pw) = &r.power {
        let body = power(pw, r.proposals.as_ref(), p.detail, &mut notes);
        section(&mut out, "INSTITUTIONS AND VOTING POWER", body, &mut notes);
    }
    if let Some(n) = &r.negotiate {
        let body = negotiation(r, &n.runs, r.pareto.as_ref(), p.detail, &mut notes);
        section(&mut out, "NEGOTIATION PROTOCOLS", body, &mut notes);
    }
    if let Some(h) = &r.history {
        let body = history(&h.events, r.as_of.as_deref(), p.detail);
        section(&mut out, "HISTORY", body, &mut notes);
    }
    out
}

/// The verdict: each lens's numbered findings, then where the lenses agree
/// or disagree issue by issue, then the terms it uses, wrapped at 78
/// columns.
pub fn verdict(r: &AnalyzeResult) -> String {
    let v = &r.verdict;
    let n = v.findings().count();
    let mut out = String::from("VERDICT\n\n");
    if v.lenses.is_empty() {
        out.push_str("  The scenario has nothing any lens can analyse.\n\n");
        return out;
    }
    let as_of = match &r.as_of {
        Some(d) => format!(
            "The inputs (stances, capabilities, preferences) describe {d}; what followed is kept apart and read by no model."
        ),
        None => "The scenario gives no `as_of` date: every dated event and proposal counts as known.".into(),
    };
    out.push_str(&wrap(
        &format!(
            "{} findings from {} lenses, numbered; the lens each comes from is in brackets. {as_of}",
            n,
            v.lenses.len()
        ),
        78,
        "",
        "",
    ));
    out.push('\n');
    let item = |out: &mut String, f: &Finding| {
        let who: Vec<&str> = f.lenses.iter().map(|l| l.name()).collect();
        let first = format!("{:>3}. ", f.number);
        let pad = " ".repeat(first.chars().count());
        out.push_str(&wrap(
            &format!("[{}] {}", who.join(" + "), f.text),
            78,
            &first,
            &pad,
        ));
    };
    for l in &v.lenses {
        let _ = writeln!(out, "{}", l.title);
        for f in &l.findings {
            item(&mut out, f);
        }
        out.push('\n');
    }
    if !v.across.is_empty() {
        let agree = v
            .across
            .iter()
            .filter(|f| f.accord == Some(Accord::Agree))
            .count();
        let _ = writeln!(
            out,
            "Across lenses (the same issue scale: forecasts, negotiation runs, votes)"
        );
        out.push_str(&wrap(
            &format!(
                "They agree on {} of the {} issues they share and disagree on {}.",
                agree,
                v.across.len(),
                v.across.len() - agree
            ),
            78,
            "     ",
            "     ",
        ));
        for f in &v.across {
            item(&mut out, f);
        }
        if r.conflict.is_some() {
            out.push_str(&wrap(
                "(The conflict lens works with options, not points of these scales, so it is set beside the others only through its own findings.)",
                78,
                "     ",
                "     ",
            ));
        }
        out.push('\n');
    }
    let used = verdict_terms(r);
    if !used.is_empty() {
        out.push_str("Terms used above:\n");
        for t in used {
            out.push_str(&wrap(
                &format!("{}: {}", t.term, t.definition),
                78,
                "  ",
                "    ",
            ));
        }
        out.push('\n');
    }
    out
}

/// The glossary terms the verdict's findings use, with those their
/// definitions use.
pub fn verdict_terms(r: &AnalyzeResult) -> Vec<&'static crate::glossary::Term> {
    let body: Vec<&str> = r.verdict.findings().map(|f| f.text.as_str()).collect();
    crate::glossary::used_in_closed(&body.join(" "))
}

/// `text` wrapped at `width` columns, the first line after `first`, the
/// others after `rest`.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for w in text.split_whitespace() {
        // A word that cannot fit any line (a hostile 65,536-character name)
        // is cut, as table cells are.
        let cut;
        let w = if w.chars().count() > width.max(crate::MAX_CELL) {
            cut = crate::fit(w, crate::MAX_CELL);
            cut.as_str()
        } else {
            w
        };
        let len = line.chars().count() + w.chars().count() + usize::from(!empty);
        if !empty && len > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(w);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

// ---------- forecast ----------

fn forecast(r: &AnalyzeResult, f: &ForecastReport, detail: bool, notes: &mut Notes) -> String {
    let mut out = String::new();
    let mut models: Vec<&str> = Vec::new();
    for i in &f.issues {
        for m in &i.models {
            if !models.contains(&m.model.as_str()) {
                models.push(&m.model);
            }
        }
    }
    let has_outcome = f.issues.iter().any(|i| i.outcome.is_some());
    let _ = writeln!(
        out,
        "  Each model's forecast, in points of the issue's scale{}:",
        if has_outcome {
            ", with the recorded outcome (never read by a model)"
        } else {
            ""
        }
    );
    let mut headers = vec!["issue".to_string(), "scale".to_string()];
    headers.extend(models.iter().map(|m| notes.term(m)));
    if has_outcome {
        headers.push("outcome".into());
    }
    let mut t = Table::new(headers).align(
        &std::iter::once(Align::Left)
            .chain(std::iter::repeat_n(Align::Right, models.len() + 2))
            .collect::<Vec<_>>(),
    );
    for i in &f.issues {
        let mut row = vec![
            i.issue.clone(),
            format!("{}–{}", num(i.min, 2), num(i.max, 2)),
        ];
        for m in &models {
            row.push(match i.models.iter().find(|x| x.model == *m) {
                Some(x) if !x.rounds.is_empty() && !x.converged => {
                    format!("{} (no conv.)", num(x.forecast, 2))
                }
                Some(x) => num(x.forecast, 2),
                None => String::new(),
            });
        }
        if has_outcome {
            row.push(i.outcome.map(|o| num(o, 2)).unwrap_or_default());
        }
        t.row(row);
    }
    out.push_str(&t.render(2));
    let units: Vec<String> = r
        .issues
        .iter()
        .filter(|i| f.issues.iter().any(|x| x.issue == i.id))
        .map(|i| match &i.unit {
            Some(u) => format!("{}: {u}", i.id),
            None => format!("{}: {} (no unit given)", i.id, i.name),
        })
        .collect();
    if !units.is_empty() {
        out.push_str("  Scales:\n");
        for u in units {
            out.push_str(&wrap(&u, 78, "    ", "      "));
        }
    }
    if has_outcome {
        out.push('\n');
        out.push_str(&mean_errors(f, notes));
    }
    if detail {
        out.push('\n');
        out.push_str(&crate::forecast::render(f));
    } else {
        out.push_str("\n  (--detail: the nearest labelled point of each forecast and every round of eum and smp)\n");
    }
    out
}

/// Mean absolute error of each model over the issues with a recorded outcome.
fn mean_errors(r: &ForecastReport, notes: &mut Notes) -> String {
    let mut names: Vec<&str> = Vec::new();
    for i in &r.issues {
        for m in &i.models {
            if !names.contains(&m.model.as_str()) {
                names.push(&m.model);
            }
        }
    }
    let err = notes.term("error");
    let mut t = Table::new([
        "model".to_string(),
        "issues scored".to_string(),
        format!("mean absolute {err} (scale points)"),
    ])
    .align(&[Align::Left, Align::Right, Align::Right]);
    for n in names {
        let errs: Vec<f64> = r
            .issues
            .iter()
            .flat_map(|i| i.models.iter().filter(|m| m.model == n))
            .filter_map(|m| m.error)
            .collect();
        if !errs.is_empty() {
            t.row([
                n.to_string(),
                errs.len().to_string(),
                num(errs.iter().sum::<f64>() / errs.len() as f64, 2),
            ]);
        }
    }
    t.render(2)
}

// ---------- conflict ----------

fn conflict(c: &ConflictResult, detail: bool, notes: &mut Notes) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {}: {} decision makers, {} options, {} feasible states.",
        notes.term("gmcr"),
        c.dms.len(),
        c.options.len(),
        c.states.len()
    );
    let keys: Vec<&str> = CONCEPTS
        .iter()
        .copied()
        .filter(|k| c.equilibria.contains_key(*k))
        .collect();
    let counts: Vec<String> = keys
        .iter()
        .map(|k| {
            format!(
                "{} {}",
                notes.mark(concept_key(k), concept_label(k)),
                c.equilibria[*k].len()
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "  {} per stability concept: {}.",
        notes.mark("equilibrium", "Equilibria"),
        counts.join(", ")
    );
    let mut strong: Vec<usize> = keys
        .first()
        .map(|k| c.equilibria[*k].to_vec())
        .unwrap_or_default();
    for k in keys.iter().skip(1) {
        strong.retain(|s| c.equilibria[*k].contains(*s));
    }
    if strong.is_empty() {
        let _ = writeln!(out, "  No state is an equilibrium under every concept.");
    } else {
        let _ = writeln!(
            out,
            "\n  Equilibria under every concept, named by the options taken:"
        );
        for s in &strong {
            let tag = if c.historical.as_ref().is_some_and(|h| h.state == *s) {
                " (the recorded end state)"
            } else {
                ""
            };
            out.push_str(&wrap(
                &format!("state {s}{tag}: {}", state_in_words(c, *s)),
                78,
                "    ",
                "      ",
            ));
        }
    }
    if let Some(h) = &c.historical {
        if !strong.contains(&h.state) {
            let under: Vec<&str> = h
                .equilibrium_under
                .iter()
                .map(|k| concept_label(k))
                .collect();
            out.push_str(&wrap(
                &format!(
                    "Recorded end state {}: {} — {}.",
                    h.state,
                    state_in_words(c, h.state),
                    if under.is_empty() {
                        "not an equilibrium under any concept".to_string()
                    } else {
                        format!("an equilibrium under {}", and_list(&under))
                    }
                ),
                78,
                "  ",
                "    ",
            ));
        }
    }
    if let Some(sq) = &c.status_quo {
        let _ = writeln!(
            out,
            "\n  Status quo: state {} ({}); {} states reachable by legal moves.",
            sq.start,
            state_in_words(c, sq.start),
            sq.reachable.len()
        );
        for p in &sq.paths {
            let line = match &p.steps {
                Some(steps) if steps.is_empty() => format!("to {}: already there", p.to),
                Some(steps) => format!(
                    "to {}: {}",
                    p.to,
                    steps
                        .iter()
                        .map(|st| format!("{} → {}", st.dm, st.state))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => format!("to {}: unreachable", p.to),
            };
            out.push_str(&wrap(&line, 78, "    ", "      "));
        }
    }
    if detail {
        out.push('\n');
        let ks: Vec<&str> = keys.clone();
        out.push_str(&crate::conflict::summary(c, &ks, false));
        out.push_str(&crate::conflict::historical(c));
    } else {
        out.push_str(
            "\n  (--detail: the option form of every equilibrium and each DM's stable states)\n",
        );
    }
    out
}

// ---------- power ----------

fn power(
    pw: &PowerResult,
    proposals: Option<&Proposals>,
    detail: bool,
    notes: &mut Notes,
) -> String {
    let mut out = String::new();
    for inst in &pw.institutions {
        let keys: Vec<&str> = INDICES
            .iter()
            .copied()
            .filter(|k| inst.indices.contains_key(*k))
            .collect();
        let _ = writeln!(
            out,
            "  {} [{}] — {} members; a decision needs {}.",
            inst.name,
            inst.institution,
            inst.members.len(),
            inst.rule
        );
        let _ = writeln!(
            out,
            "  {}: {} (share of all {} coalitions that win).",
            notes.term("power_to_act"),
            num(inst.power_to_act, 4),
            inst.total_coalitions
        );
        // Members with identical values share a row.
        let mut groups: Vec<(Vec<String>, bool, Vec<f64>)> = Vec::new();
        for m in &inst.members {
            let vals: Vec<f64> = keys
                .iter()
                .map(|k| inst.indices[*k].get(m).copied().unwrap_or(f64::NAN))
                .collect();
            let veto = inst.vetoes.contains(m);
            match groups
                .iter_mut()
                .find(|g| g.1 == veto && g.2.iter().zip(&vals).all(|(a, b)| (a - b).abs() < 1e-12))
            {
                Some(g) => g.0.push(m.clone()),
                None => groups.push((vec![m.clone()], veto, vals)),
            }
        }
        let mut headers = vec!["members".to_string(), notes.term("veto")];
        headers.extend(keys.iter().map(|k| notes.mark(k, index_label(k))));
        let mut align = vec![Align::Left, Align::Left];
        align.extend(keys.iter().map(|_| Align::Right));
        let mut t = Table::new(headers).align(&align);
        for (members, veto, vals) in &groups {
            let who = if members.len() > 3 {
                format!("{} members: {}, …", members.len(), members[..2].join(", "))
            } else {
                members.join(", ")
            };
            let mut row = vec![who, if *veto { "veto".into() } else { String::new() }];
            row.extend(vals.iter().map(|v| {
                if v.is_finite() {
                    num(*v, 4)
                } else {
                    String::new()
                }
            }));
            t.row(row);
        }
        out.push_str(&t.render(4));
        out.push_str("    (each member's value per index; the values of an index sum to 1)\n\n");
    }
    for m in &pw.majority_rule_only {
        let _ = writeln!(
            out,
            "  {} [{}]: {} (recorded tallies only)",
            m.name, m.institution, m.rule
        );
    }
    if let Some(ps) = proposals {
        out.push_str(&proposal_lines(ps));
    }
    let recorded = pw.recorded_votes.as_deref().unwrap_or_default();
    if !recorded.is_empty() {
        let _ = writeln!(out, "\n  Recorded votes checked against their body's rule:");
        for v in recorded {
            let _ = writeln!(
                out,
                "    {} [{}] {}–{}–{}: {} — {}",
                v.date,
                v.body,
                v.tally.yes,
                v.tally.no,
                v.tally.abstain,
                v.verdict.as_deref().unwrap_or("not checked"),
                v.title
            );
        }
    }
    if detail {
        out.push('\n');
        let params = PowerParams {
            index: INDICES.map(String::from).to_vec(),
            ..PowerParams::default()
        };
        out.push_str(&crate::power::institutions(pw, &params));
    } else {
        out.push_str("\n  (--detail: every member, minimal winning and blocking coalitions)\n");
    }
    out
}

fn proposal_line(p: &ProposalVote) -> String {
    let v = &p.vote;
    let mut why = Vec::new();
    if !v.vetoed_by.is_empty() {
        why.push(format!("vetoed by {}", v.vetoed_by.join(", ")));
    }
    why.push(format!("{} yes, {} no, {} abstain", v.yes, v.no, v.abstain));
    format!(
        "{} {} = {}{} [{}]: {} — {} ({})",
        p.date,
        v.issue,
        num(v.proposal, 2),
        v.proposal_label
            .as_ref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default(),
        v.institution,
        if v.passes { "would pass" } else { "would fail" },
        why.join("; "),
        p.title
    )
}

fn proposal_lines(ps: &Proposals) -> String {
    let mut out = String::new();
    if !ps.known.is_empty() {
        let _ = writeln!(
            out,
            "  Proposals {} put to each voting body (ballots: each member's stance against the status quo):",
            match (&ps.from, &ps.as_of) {
                (Some(f), Some(d)) => format!("known then ({f} to {d})"),
                _ => "on record".into(),
            }
        );
        for p in &ps.known {
            out.push_str(&wrap(&proposal_line(p), 78, "    ", "      "));
        }
    }
    if !ps.followed.is_empty() {
        let _ = writeln!(
            out,
            "  What followed: proposals after {}, put to the same stances:",
            ps.as_of.as_deref().unwrap_or("the date")
        );
        for p in &ps.followed {
            out.push_str(&wrap(&proposal_line(p), 78, "    ", "      "));
        }
    }
    out
}

// ---------- negotiation ----------

fn negotiation(
    r: &AnalyzeResult,
    runs: &[NegotiateResult],
    pareto: Option<&ParetoResult>,
    detail: bool,
    notes: &mut Notes,
) -> String {
    let mut out = String::new();
    let Some(first) = runs.first() else {
        return out;
    };
    let a = pareto.map_or(&first.analysis, |p| &p.analysis);
    let res: Vec<String> = first
        .parties
        .iter()
        .filter_map(|p| {
            first
                .reservation
                .get(p)
                .map(|r| format!("{p} {}", num(*r, 3)))
        })
        .collect();
    let _ = writeln!(
        out,
        "  {} — parties {}; {} issues, {} outcomes; {} ({} 0–1): {}.",
        first.problem,
        first.parties.join(", "),
        first.issue_names.len(),
        a.outcomes
            .map_or("uncounted".to_string(), |n| n.to_string()),
        notes.mark("reservation", "reservation values"),
        notes.term("utility"),
        res.join(", ")
    );
    let _ = writeln!(
        out,
        "  Whole package: {} outcomes in the {}; {}: {} points.",
        a.zopa_outcomes
            .map_or("uncounted".to_string(), |n| n.to_string()),
        notes.term("zopa"),
        notes.term("pareto"),
        a.pareto_size
    );
    if !a.issues.is_empty() {
        let _ = writeln!(out, "\n  Issue by issue (each issue negotiated alone):");
        for z in &a.issues {
            let label = |v: &str| -> String {
                r.value_labels
                    .get(&z.issue)
                    .and_then(|m| m.get(v))
                    .cloned()
                    .unwrap_or_else(|| v.to_string())
            };
            let agreed: Vec<Option<&str>> = runs
                .iter()
                .filter_map(|r| {
                    r.issue_by_issue
                        .as_ref()
                        .and_then(|v| v.iter().find(|x| x.issue == z.issue))
                })
                .map(|x| x.agreement.as_deref())
                .collect();
            let mut distinct: Vec<Option<&str>> = Vec::new();
            for x in &agreed {
                if !distinct.contains(x) {
                    distinct.push(*x);
                }
            }
            let summary = distinct
                .iter()
                .map(|d| {
                    let n = agreed.iter().filter(|x| *x == d).count();
                    match d {
                        None => format!("no agreement in {n} of {} runs", agreed.len()),
                        Some(v) => format!("{} in {n} of {} runs", label(v), agreed.len()),
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            let zone = match z.zopa.len() {
                0 => "zone of agreement empty".to_string(),
                1 => "1 value in the zone".to_string(),
                n => format!("{n} values in the zone"),
            };
            out.push_str(&wrap(
                &format!("{}: {summary} ({zone})", z.issue),
                78,
                "    ",
                "      ",
            ));
        }
    }
    let _ = writeln!(
        out,
        "\n  Runs ({} steps, seed {}; strategies {} and {} for every party):",
        first.steps,
        first.seed,
        notes.term("boulware"),
        notes.term("conceder")
    );
    for r in runs {
        let proto = notes.term(&r.protocol);
        let pad = 14usize.saturating_sub(proto.chars().count());
        let strat: Vec<&str> = r
            .parties
            .iter()
            .filter_map(|p| r.strategies.get(p).map(String::as_str))
            .collect();
        let _ = writeln!(
            out,
            "    {proto}{} {:<20} {}",
            " ".repeat(pad),
            strat.join("/"),
            match &r.agreement {
                Some(_) => format!("package agreed at step {}", r.step),
                None => crate::negotiate::end_text(r),
            }
        );
    }
    if detail {
        out.push('\n');
        out.push_str(&crate::negotiate::runs_section(runs));
    } else {
        out.push_str("\n  (--detail: the solution points and each run issue by issue; `negotium pareto` lists the frontier)\n");
    }
    out
}

// ---------- history ----------

fn history(events: &[Event], as_of: Option<&str>, detail: bool) -> String {
    let mut out = String::new();
    let Some(d) = as_of else {
        let _ = writeln!(
            out,
            "  {} dated events (the scenario gives no `as_of`):",
            events.len()
        );
        out.push_str(&crate::history::render(events));
        return out;
    };
    let (known, after): (Vec<Event>, Vec<Event>) = events
        .iter()
        .cloned()
        .partition(|e| date_key(&e.date) <= date_key(d));
    if detail {
        let _ = writeln!(out, "  Known as of {d} ({} events):", known.len());
        out.push_str(&crate::history::render(&known));
        let _ = writeln!(
            out,
            "\n  What followed ({} events, read by no model):",
            after.len()
        );
        out.push_str(&crate::history::render(&after));
        return out;
    }
    let last: Vec<Event> = known[known.len().saturating_sub(EVENTS_SHOWN)..].to_vec();
    let _ = writeln!(
        out,
        "  Known as of {d}: {} events; the last {}:",
        known.len(),
        last.len()
    );
    out.push_str(&crate::history::render(&last));
    let next: Vec<Event> = after.iter().take(EVENTS_SHOWN).cloned().collect();
    if !next.is_empty() {
        let _ = writeln!(
            out,
            "\n  What followed (read by no model): {} events; the first {}:",
            after.len(),
            next.len()
        );
        out.push_str(&crate::history::render(&next));
    }
    out.push_str("\n  (--detail or `negotium history`: every event)\n");
    out
}
