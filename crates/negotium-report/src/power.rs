//! The voting lens as text: each institution's power table, rule, counts
//! and minimal coalitions; recorded votes checked; a vote on a proposal.

use std::fmt::Write as _;

use negotium_analysis::analyze::ProposalVote;
use negotium_analysis::power::{
    indices, InstitutionPower, PowerParams, PowerResult, RecordedVoteOut,
};
use negotium_analysis::vote::VoteResult;

use crate::{num, Align, Table};

/// The whole text report of `negotium power`: every institution, the bodies
/// with only a majority rule, and the recorded votes (of `params.institution`
/// only, when given).
pub fn render(r: &PowerResult, params: &PowerParams) -> String {
    if r.scenario.is_none() {
        // A quick game: its one table.
        return r
            .institutions
            .iter()
            .map(|p| institution(p, params))
            .collect();
    }
    let mut out = institutions(r, params);
    if let Some(votes) = &r.recorded_votes {
        let votes: Vec<RecordedVoteOut> = votes
            .iter()
            .filter(|v| params.institution.as_deref().is_none_or(|id| v.body == id))
            .cloned()
            .collect();
        out.push_str(&recorded(&votes));
    }
    out
}

/// Every institution's power, then one line per body with only a majority rule.
pub fn institutions(r: &PowerResult, params: &PowerParams) -> String {
    let mut out = String::new();
    for p in &r.institutions {
        out.push_str(&institution(p, params));
        out.push('\n');
    }
    for m in &r.majority_rule_only {
        let _ = writeln!(
            out,
            "{} [{}]: {} (recorded votes only)",
            m.name, m.institution, m.rule
        );
    }
    if !r.majority_rule_only.is_empty() {
        out.push('\n');
    }
    out
}

fn value_text(p: &InstitutionPower, index: &str, member: &str, fractions: bool) -> String {
    if fractions {
        if let Some(e) = p.exact.get(index).and_then(|m| m.get(member)) {
            return e.clone();
        }
    }
    let v = p
        .indices
        .get(index)
        .and_then(|m| m.get(member))
        .copied()
        .unwrap_or(f64::NAN);
    let mut s = num(v, 4);
    if let Some([lo, hi]) = p
        .ci95
        .as_ref()
        .and_then(|c| c.get(index))
        .and_then(|m| m.get(member))
    {
        let _ = write!(s, " ±{}", num((hi - lo) / 2.0, 4));
    }
    s
}

/// One institution: members, rule, counts, the index table, methods, notes
/// and minimal coalitions.
pub fn institution(p: &InstitutionPower, params: &PowerParams) -> String {
    let fractions = params.exact_fractions;
    let keys: Vec<&str> = indices(params)
        .unwrap_or_default()
        .iter()
        .map(|i| i.key())
        .filter(|k| p.indices.contains_key(*k))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} [{}] — {} members",
        p.name,
        p.institution,
        p.members.len()
    );
    let _ = writeln!(out, "  rule: a coalition wins with {}", p.rule);
    let _ = write!(out, "  ");
    match &p.winning_coalitions {
        Some(w) => {
            let _ = write!(out, "{w} winning coalitions of {}", p.total_coalitions);
        }
        None => {
            let _ = write!(out, "{} coalitions", p.total_coalitions);
        }
    }
    if let Some(m) = &p.minimal_winning_coalitions {
        let _ = write!(out, "; {m} minimal winning");
    }
    let pta = match (&p.power_to_act_exact, fractions) {
        (Some(e), true) => e.clone(),
        _ => {
            let mut s = num(p.power_to_act, 4);
            if let Some([lo, hi]) = p.power_to_act_ci95 {
                let _ = write!(s, " ±{}", num((hi - lo) / 2.0, 4));
            }
            s
        }
    };
    let _ = writeln!(out, "; power to act {pta}");
    let mut headers = vec!["member".to_string(), "veto".to_string()];
    headers.extend(
        keys.iter()
            .map(|k| negotium_analysis::power::index_label(k).to_string()),
    );
    let mut align = vec![Align::Left, Align::Left];
    align.extend(keys.iter().map(|_| Align::Right));
    let mut t = Table::new(headers).align(&align);
    for l in &p.members {
        let mut row = vec![
            l.clone(),
            if p.vetoes.contains(l) {
                "veto".into()
            } else {
                String::new()
            },
        ];
        row.extend(keys.iter().map(|k| value_text(p, k, l, fractions)));
        t.row(row);
    }
    out.push_str(&t.render(2));
    let mut methods: Vec<&str> = Vec::new();
    for k in &keys {
        if let Some(d) = p.methods.get(*k) {
            if !methods.contains(&d.as_str()) {
                methods.push(d);
            }
        }
    }
    let _ = writeln!(out, "  method: {}", methods.join("; "));
    for n in &p.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    if let (Some(wc), Some(bc), Some(w), Some(b)) = (
        p.minimal_winning_count,
        p.minimal_blocking_count,
        &p.minimal_winning,
        &p.minimal_blocking,
    ) {
        for (what, count, list) in [("minimal winning", wc, w), ("minimal blocking", bc, b)] {
            if list.is_empty() && count > 0 {
                let _ = writeln!(
                    out,
                    "  {count} {what} coalitions (more than the listing limit)"
                );
                if !p.vetoes.is_empty() {
                    if what == "minimal blocking" {
                        let _ = writeln!(
                            out,
                            "    each veto holder alone blocks: {}",
                            p.vetoes.join(", ")
                        );
                    } else {
                        let _ = writeln!(
                            out,
                            "    every one of them includes all veto holders: {}",
                            p.vetoes.join(", ")
                        );
                    }
                }
            } else {
                let _ = writeln!(out, "  {count} {what} coalitions:");
                for c in list {
                    let _ = writeln!(out, "    {{{}}}", c.join(", "));
                }
            }
        }
    }
    out
}

/// Recorded votes checked against their body's rule (nothing when none was checked).
pub fn recorded(votes: &[RecordedVoteOut]) -> String {
    let mut out = String::new();
    let checked: Vec<&RecordedVoteOut> = votes.iter().filter(|v| v.verdict.is_some()).collect();
    if checked.is_empty() {
        return out;
    }
    let _ = writeln!(out, "Recorded votes checked against their body's rule:");
    for v in checked {
        let verdict = match v.verdict.as_deref() {
            Some("passes") => "CARRIED",
            Some("fails") => "NOT CARRIED",
            _ => "UNDETERMINED",
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
        let _ = writeln!(out, "      {}", v.explanation.as_deref().unwrap_or(""));
    }
    let mut uniq: Vec<&str> = Vec::new();
    for v in votes.iter().filter(|v| v.verdict.is_none()) {
        if !uniq.contains(&v.body.as_str()) {
            uniq.push(&v.body);
        }
    }
    if !uniq.is_empty() {
        let _ = writeln!(
            out,
            "  (not checked: tallies of bodies without an [[institution]] rule: {})",
            uniq.join("; ")
        );
    }
    out
}

fn label_of(l: &Option<String>) -> String {
    l.as_ref().map(|l| format!(" ({l})")).unwrap_or_default()
}

/// The text of `negotium vote`: the result, each member's ballot and why,
/// and who is pivotal.
pub fn vote(r: &VoteResult) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Vote in {} [{}] on `{}`: proposal {}{} against the status quo {}{}",
        r.name,
        r.institution,
        r.issue,
        r.proposal,
        label_of(&r.proposal_label),
        r.status_quo,
        label_of(&r.status_quo_label)
    );
    let _ = writeln!(
        t,
        "Result: {} — {}",
        if r.passes {
            "PASSES"
        } else if r.vetoed_by.is_empty() {
            "FAILS"
        } else {
            "BLOCKED"
        },
        r.reasons.join("; ")
    );
    let _ = writeln!(t, "  {} yes, {} no, {} abstain", r.yes, r.no, r.abstain);
    let mut tab = Table::new(["member", "vote", "veto", "why"]);
    for m in &r.members {
        let tag = if r.vetoed_by.contains(m) {
            "VETO"
        } else if r.veto_holders.contains(m) {
            "veto"
        } else {
            ""
        };
        tab.row([
            m.clone(),
            r.votes.get(m).cloned().unwrap_or_default(),
            tag.to_string(),
            r.why.get(m).cloned().unwrap_or_default(),
        ]);
    }
    t.push_str(&tab.render(2));
    if !r.without_position.is_empty() {
        let _ = writeln!(
            t,
            "  without a stance or position (cast their default): {}",
            r.without_position.join(", ")
        );
    }
    let _ = writeln!(
        t,
        "  pivotal: {}",
        if r.pivotal.is_empty() {
            if r.passes {
                "none — no single yes vote's switch would defeat it".to_string()
            } else {
                "none — no single member's switch to yes would carry it".to_string()
            }
        } else {
            format!(
                "{} ({})",
                r.pivotal.join(", "),
                if r.passes {
                    "each would defeat it by voting no"
                } else {
                    "each would carry it by voting yes"
                }
            )
        }
    );
    t
}

/// The proposals on record put to each voting body, one line each (nothing
/// when there are none).
pub fn proposals(year: Option<&str>, ps: &[ProposalVote]) -> String {
    let mut out = String::new();
    if ps.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "Proposals of {} put to each voting body (ballots: stance vs status quo; see `negotium vote`):",
        year.unwrap_or("the record")
    );
    for p in ps {
        let r = &p.vote;
        let mut why = Vec::new();
        if !r.vetoed_by.is_empty() {
            why.push(format!("vetoed by {}", r.vetoed_by.join(", ")));
        }
        why.push(format!("{} yes, {} no, {} abstain", r.yes, r.no, r.abstain));
        if !r.pivotal.is_empty() {
            why.push(format!("pivotal: {}", r.pivotal.join(", ")));
        }
        let _ = writeln!(
            out,
            "  [{}] {} = {} (first proposed {}: {}): {} — {}",
            r.institution,
            r.issue,
            r.proposal,
            p.date,
            p.title,
            if r.passes { "would pass" } else { "would fail" },
            why.join("; ")
        );
    }
    out.push('\n');
    out
}
