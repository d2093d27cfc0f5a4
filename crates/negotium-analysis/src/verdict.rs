//! The verdict of the analyze lens: a few plain sentences per lens, each
//! derived from that lens's result (nothing is written in advance), naming
//! GMCR states by their options and proposals and agreements by their
//! labels.

use std::collections::BTreeSet;

use negotium_scenario::{EventKind, Scenario};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analyze::{AnalyzeResult, ProposalVote, Proposals};
use crate::conflict::{concept_label, ConflictResult};
use crate::history::date_key;
use crate::negotiate::NegotiateResult;
use crate::pareto::ParetoResult;
use crate::power::PowerResult;

/// Which lens a part of the verdict speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictLens {
    /// Spatial forecasts.
    Forecast,
    /// The strategic conflict (GMCR).
    Conflict,
    /// Institutions, voting power and the proposals put to them.
    Voting,
    /// Negotiation protocols and the outcome space.
    Negotiation,
    /// The dated history, split at the scenario's `as_of`.
    History,
}

/// How the lenses that speak to one issue relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Accord {
    /// Every lens points to the same point of the scale.
    Agree,
    /// The lenses point to different points, or one finds no way there.
    Disagree,
}

/// One finding: a plain sentence, its number in the verdict (1, 2, …) and
/// the lens or lenses it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// 1-based, in report order (each lens's findings, then those across
    /// lenses).
    pub number: usize,
    /// The lenses whose results the sentence is derived from.
    pub lenses: Vec<VerdictLens>,
    /// Across lenses only: whether they agree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accord: Option<Accord>,
    /// A sentence (or two), ending with a full stop.
    pub text: String,
}

/// The verdict of one lens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LensVerdict {
    pub lens: VerdictLens,
    /// A heading for people, e.g. "Strategic conflict (GMCR)".
    pub title: String,
    pub findings: Vec<Finding>,
}

impl LensVerdict {
    /// The findings' sentences.
    pub fn sentences(&self) -> impl Iterator<Item = &str> {
        self.findings.iter().map(|f| f.text.as_str())
    }
}

/// The findings of every lens that ran, in report order, then where the
/// lenses agree or disagree about the same issue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Verdict {
    pub lenses: Vec<LensVerdict>,
    /// Issue by issue, what the forecasts, the negotiation runs and the
    /// votes on the same scale say together.
    pub across: Vec<Finding>,
}

impl Verdict {
    /// The verdict of one lens, if it ran.
    pub fn lens(&self, lens: VerdictLens) -> Option<&LensVerdict> {
        self.lenses.iter().find(|l| l.lens == lens)
    }

    /// Every finding in number order.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.lenses
            .iter()
            .flat_map(|l| &l.findings)
            .chain(&self.across)
    }
}

impl VerdictLens {
    /// The lens's short name, as the CLI calls it.
    pub fn name(self) -> &'static str {
        match self {
            VerdictLens::Forecast => "forecast",
            VerdictLens::Conflict => "conflict",
            VerdictLens::Voting => "power/vote",
            VerdictLens::Negotiation => "negotiate",
            VerdictLens::History => "history",
        }
    }
}

/// The verdict of an analyze result (everything but `verdict` filled in).
pub fn verdict(s: &Scenario, r: &AnalyzeResult) -> Verdict {
    let mut lenses = Vec::new();
    let mut n = 0;
    let mut push = |lens, title: &str, sentences: Vec<String>| {
        if !sentences.is_empty() {
            let findings = sentences
                .into_iter()
                .map(|text| {
                    n += 1;
                    Finding {
                        number: n,
                        lenses: vec![lens],
                        accord: None,
                        text,
                    }
                })
                .collect();
            lenses.push(LensVerdict {
                lens,
                title: title.to_string(),
                findings,
            });
        }
    };
    if let Some(f) = &r.forecast {
        push(VerdictLens::Forecast, "Spatial forecasts", forecast(f));
    }
    if let Some(c) = &r.conflict {
        push(
            VerdictLens::Conflict,
            "Strategic conflict (GMCR)",
            conflict(c),
        );
    } else if let Some(why) = &r.conflict_skipped {
        push(
            VerdictLens::Conflict,
            "Strategic conflict (GMCR)",
            vec![sentence(&format!("Not analysed: {why}"))],
        );
    }
    if let Some(p) = &r.power {
        push(
            VerdictLens::Voting,
            "Institutions and voting",
            voting(p, r.proposals.as_ref()),
        );
    }
    if let Some(neg) = &r.negotiate {
        push(
            VerdictLens::Negotiation,
            "Negotiation",
            negotiation(r, &neg.runs, r.pareto.as_ref()),
        );
    }
    if r.history.is_some() {
        push(
            VerdictLens::History,
            "What was known, and what followed",
            history(s),
        );
    }
    let mut across = across(s, r);
    for f in &mut across {
        n += 1;
        f.number = n;
    }
    Verdict { lenses, across }
}

// ---------- words ----------

/// Capitalised first letter and a final full stop.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [a] => a.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|x| x.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// Small counts in words (one … twelve), larger ones in digits.
pub fn count_word(n: usize) -> String {
    const W: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    W.get(n).map_or_else(|| n.to_string(), |w| w.to_string())
}

/// A number with at most `dp` decimals, trailing zeros trimmed (`-0`
/// printed as `0`; infinities and NaN as Rust prints them).
pub fn num(x: f64, dp: usize) -> String {
    let s = format!("{x:.dp$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// The third person singular of an imperative phrase ("declare
/// independence" → "declares independence"); other phrases unchanged.
pub fn third_person(phrase: &str) -> String {
    let (verb, rest) = phrase.split_once(' ').unwrap_or((phrase, ""));
    let starts_lower = verb.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    if !starts_lower || !verb.chars().all(|c| c.is_ascii_alphabetic()) {
        return phrase.to_string();
    }
    let vowel = |c: char| "aeiou".contains(c);
    let v = if verb.ends_with('y') && !verb[..verb.len() - 1].ends_with(vowel) {
        format!("{}ies", &verb[..verb.len() - 1])
    } else if ["s", "x", "z", "ch", "sh", "o"]
        .iter()
        .any(|e| verb.ends_with(e))
    {
        format!("{verb}es")
    } else {
        format!("{verb}s")
    };
    if rest.is_empty() {
        v
    } else {
        format!("{v} {rest}")
    }
}

/// The options taken in a state, grouped by their DM in DM order:
/// `(DM name, [option names])`.
fn taken(r: &ConflictResult, pattern: &str) -> Vec<(String, Vec<String>)> {
    let flags: Vec<bool> = pattern.chars().map(|c| c == 'Y' || c == 'y').collect();
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for dm in &r.dms {
        let names: Vec<String> = dm
            .options
            .iter()
            .filter(|&&n| flags.get(n - 1).copied().unwrap_or(false))
            .filter_map(|&n| r.options.iter().find(|o| o.number == n))
            .map(|o| third_person(&o.name))
            .collect();
        if !names.is_empty() {
            out.push((dm.name.clone(), names));
        }
    }
    out
}

/// A GMCR state named by the options taken in it, DM by DM: "Kosovo
/// declares independence; United States recognises Kosovo; …". The status
/// quo of no option taken reads "no option is taken".
pub fn state_in_words(r: &ConflictResult, number: usize) -> String {
    let Some(st) = r.states.get(number) else {
        return format!("state {number}");
    };
    pattern_in_words(r, &st.pattern)
}

/// [`state_in_words`] for a Y/N pattern.
pub fn pattern_in_words(r: &ConflictResult, pattern: &str) -> String {
    let parts = taken(r, pattern);
    if parts.is_empty() {
        return "no option is taken".into();
    }
    parts
        .iter()
        .map(|(dm, opts)| format!("{dm} {}", and_list(opts)))
        .collect::<Vec<_>>()
        .join("; ")
}

// ---------- forecast ----------

/// The name of an issue up to its first colon ("Decentralisation: Serb
/// municipalities …" → "Decentralisation").
fn short_name(name: &str) -> &str {
    name.split_once(':').map_or(name, |(a, _)| a).trim()
}

fn forecast(f: &crate::forecast::ForecastResult) -> Vec<String> {
    let mut out = Vec::new();
    let mut agreed: Vec<String> = Vec::new();
    let mut split: Vec<String> = Vec::new();
    for is in &f.issues {
        if is.models.is_empty() {
            continue;
        }
        // Models grouped by the labelled point nearest their forecast.
        let mut groups: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        for m in &is.models {
            let l = m.nearest_label.as_deref();
            match groups.iter_mut().find(|g| g.0 == l) {
                Some(g) => g.1.push(&m.model),
                None => groups.push((l, vec![&m.model])),
            }
        }
        let lo = is
            .models
            .iter()
            .map(|m| m.forecast)
            .fold(f64::INFINITY, f64::min);
        let hi = is
            .models
            .iter()
            .map(|m| m.forecast)
            .fold(f64::NEG_INFINITY, f64::max);
        let range = if (hi - lo).abs() < 5e-3 {
            num(lo, 2)
        } else {
            format!("{}–{}", num(lo, 2), num(hi, 2))
        };
        let unit = format!(" on {}–{}", num(is.min, 2), num(is.max, 2));
        let name = short_name(&is.name);
        if groups.len() == 1 {
            let what = match groups[0].0 {
                Some(l) => format!("{name} → {l}, forecasts {range}{unit}"),
                None => format!("{name} → {range}{unit}"),
            };
            agreed.push(what);
        } else {
            groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
            let parts: Vec<String> = groups
                .iter()
                .map(|(l, ms)| {
                    let who = and_list(ms);
                    let verb = if ms.len() == 1 { "points" } else { "point" };
                    match l {
                        Some(l) => format!("{who} {verb} to {l}"),
                        None => format!("{who} {verb} to no labelled point"),
                    }
                })
                .collect();
            split.push(sentence(&format!(
                "{name}: the models split — {} (forecasts {range}{unit})",
                parts.join("; ")
            )));
        }
    }
    let n_models = f.issues.iter().map(|i| i.models.len()).max().unwrap_or(0);
    if !agreed.is_empty() {
        let all = if n_models == 1 {
            "The model gives".to_string()
        } else {
            format!(
                "All {} models agree on {} {}",
                count_word(n_models),
                count_word(agreed.len()),
                if agreed.len() == 1 { "issue" } else { "issues" }
            )
        };
        out.push(sentence(&format!("{all}: {}", agreed.join("; "))));
    }
    out.extend(split);
    // Errors against recorded outcomes.
    let mut names: Vec<&str> = Vec::new();
    for i in &f.issues {
        for m in &i.models {
            if !names.contains(&m.model.as_str()) {
                names.push(&m.model);
            }
        }
    }
    let mut mae: Vec<(&str, f64, usize)> = names
        .iter()
        .filter_map(|n| {
            let e: Vec<f64> = f
                .issues
                .iter()
                .flat_map(|i| i.models.iter().filter(|m| m.model == *n))
                .filter_map(|m| m.error)
                .collect();
            (!e.is_empty()).then(|| (*n, e.iter().sum::<f64>() / e.len() as f64, e.len()))
        })
        .collect();
    if !mae.is_empty() {
        mae.sort_by(|a, b| a.1.total_cmp(&b.1));
        let scored = mae[0].2;
        let best = mae[0];
        let worst = mae[mae.len() - 1];
        let issues = if scored == 1 {
            "outcome of the one issue".to_string()
        } else {
            format!("outcomes of the {} issues", count_word(scored))
        };
        if mae.len() == 1 {
            out.push(sentence(&format!(
                "Against the recorded {issues}, {} is off by {} scale points on average",
                best.0,
                num(best.1, 2)
            )));
        } else {
            out.push(sentence(&format!(
                "Against the recorded {issues} (never read by any model), {} comes closest (mean absolute error {} scale points) and {} is furthest ({})",
                best.0,
                num(best.1, 2),
                worst.0,
                num(worst.1, 2)
            )));
        }
    }
    out
}

// ---------- conflict ----------

fn conflict(r: &ConflictResult) -> Vec<String> {
    let mut out = Vec::new();
    let concepts: Vec<&String> = r.equilibria.keys().collect();
    if concepts.is_empty() {
        return out;
    }
    // States stable under every concept computed.
    let mut strong: Vec<usize> = r.equilibria[concepts[0]].to_vec();
    for c in &concepts[1..] {
        let set: BTreeSet<usize> = r.equilibria[*c].iter().collect();
        strong.retain(|s| set.contains(s));
    }
    let order = ["nash", "gmr", "smr", "seq", "sim", "seq_sim"];
    let mut labels: Vec<&str> = concepts.iter().map(|c| concept_label(c)).collect();
    labels.sort_by_key(|l| {
        order
            .iter()
            .position(|o| concept_label(o) == *l)
            .unwrap_or(usize::MAX)
    });
    let every = if concepts.len() == 1 {
        format!("the {} concept", labels[0])
    } else {
        format!(
            "all {} stability concepts computed ({})",
            count_word(concepts.len()),
            labels.join(", ")
        )
    };
    let n_states = r.states.len();
    if strong.is_empty() {
        out.push(sentence(&format!(
            "No state of the {n_states} feasible is stable under {every}: the conflict has no robust resting point"
        )));
    } else {
        out.push(sentence(&format!(
            "{} of the {n_states} feasible states {} stable under {every}",
            count_word(strong.len()),
            if strong.len() == 1 { "is" } else { "are" }
        )));
    }
    let path_to = |to: usize| -> Option<Vec<String>> {
        let sq = r.status_quo.as_ref()?;
        let p = sq.paths.iter().find(|p| p.to == to)?;
        p.steps
            .as_ref()
            .map(|st| st.iter().map(|s| s.dm.clone()).collect())
    };
    let reach = |to: usize| -> String {
        match path_to(to) {
            Some(movers) if movers.is_empty() => ", and it is the status quo itself".into(),
            Some(movers) => format!(
                ", reached from the status quo in {} {} ({})",
                count_word(movers.len()),
                if movers.len() == 1 { "move" } else { "moves" },
                movers.join(" → ")
            ),
            None => String::new(),
        }
    };
    let hist = r.historical.as_ref();
    if let Some(h) = hist {
        let words = state_in_words(r, h.state);
        let under: BTreeSet<&str> = h.equilibrium_under.iter().map(String::as_str).collect();
        let all = concepts.iter().all(|c| under.contains(c.as_str()));
        if all {
            out.push(sentence(&format!(
                "The recorded end state (state {}: {words}) is one of them{}",
                h.state,
                reach(h.state)
            )));
        } else if under.is_empty() {
            out.push(sentence(&format!(
                "The recorded end state (state {}: {words}) is not stable under any concept: some decision maker gains by moving away from it",
                h.state
            )));
        } else {
            let mut yes: Vec<&str> = under.iter().map(|c| concept_label(c)).collect();
            yes.sort_by_key(|l| order.iter().position(|o| concept_label(o) == *l));
            let no: Vec<&str> = labels
                .iter()
                .filter(|l| !yes.contains(l))
                .copied()
                .collect();
            out.push(sentence(&format!(
                "The recorded end state (state {}: {words}) is stable under {} but not under {}",
                h.state,
                and_list(&yes),
                and_list(&no)
            )));
        }
    }
    let others: Vec<usize> = strong
        .iter()
        .copied()
        .filter(|s| hist.is_none_or(|h| h.state != *s))
        .collect();
    if !others.is_empty() {
        let pats: Vec<String> = others.iter().filter_map(|n| r.states.pattern(*n)).collect();
        let nums = others
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let lead = if hist.is_some() { "the other" } else { "the" };
        if others.len() <= 2 {
            let named: Vec<String> = others
                .iter()
                .map(|n| format!("state {n}: {}", state_in_words(r, *n)))
                .collect();
            out.push(sentence(&format!(
                "{} {}: {}",
                lead,
                if others.len() == 1 { "one" } else { "two" },
                named.join("; and ")
            )));
        } else {
            // What they have in common: the options taken in all of them.
            let len = pats.iter().map(|p| p.len()).min().unwrap_or(0);
            let common: String = (0..len)
                .map(|i| {
                    if pats.iter().all(|p| p.as_bytes()[i] == b'Y') {
                        'Y'
                    } else {
                        'N'
                    }
                })
                .collect();
            let words = pattern_in_words(r, &common);
            if common.contains('Y') {
                out.push(sentence(&format!(
                    "In each of {lead} {} (states {nums}), {words}",
                    count_word(others.len())
                )));
            } else {
                out.push(sentence(&format!(
                    "{lead} {} (states {nums}) share no option taken",
                    count_word(others.len())
                )));
            }
        }
    }
    out
}

// ---------- voting ----------

fn pct(x: f64) -> String {
    format!("{} %", num(100.0 * x, 1))
}

fn proposal_name(p: &ProposalVote) -> String {
    let v = &p.vote;
    match &v.proposal_label {
        Some(l) => format!("{l}, {} {}", v.issue, num(v.proposal, 2)),
        None => format!("{} {}", v.issue, num(v.proposal, 2)),
    }
}

/// Per institution, sentences saying which proposals would pass, and
/// which fail and why (grouped by the veto holders that block them).
/// `lead` introduces the group, e.g. "of the proposals made by 2007-03-26".
fn proposal_outcomes(ps: &[ProposalVote], lead: &str, compact: bool) -> Vec<String> {
    let mut insts: Vec<&str> = Vec::new();
    for p in ps {
        if !insts.contains(&p.vote.name.as_str()) {
            insts.push(&p.vote.name);
        }
    }
    let mut out = Vec::new();
    for inst in insts {
        let group: Vec<&ProposalVote> = ps.iter().filter(|p| p.vote.name == inst).collect();
        // (why, proposals), in order of first appearance.
        let mut reasons: Vec<(String, Vec<String>)> = Vec::new();
        let mut passing: Vec<String> = Vec::new();
        for p in &group {
            let v = &p.vote;
            if v.passes {
                passing.push(format!("{} ({} yes)", proposal_name(p), v.yes));
                continue;
            }
            let why = if v.vetoed_by.is_empty() {
                "short of the majority".to_string()
            } else {
                format!("vetoed by {}", and_list(&v.vetoed_by))
            };
            match reasons.iter_mut().find(|r| r.0 == why) {
                Some(r) => r.1.push(proposal_name(p)),
                None => reasons.push((why, vec![proposal_name(p)])),
            }
        }
        let n_fail: usize = reasons.iter().map(|r| r.1.len()).sum();
        let head = match (passing.len(), n_fail) {
            (0, 1) => format!("{lead}, the one put to the {inst} would fail"),
            (0, n) => format!("{lead}, all {} put to the {inst} would fail", count_word(n)),
            (k, 0) => format!("{lead}, all {} put to the {inst} would pass", count_word(k)),
            (k, n) => format!(
                "{lead}, {} put to the {inst} would pass and {} would fail",
                count_word(k),
                count_word(n)
            ),
        };
        let whys: Vec<String> = reasons
            .iter()
            .map(|(why, names)| format!("{why}: {}", names.join("; ")))
            .collect();
        if compact {
            let mut parts = whys;
            if !passing.is_empty() {
                parts.push(format!("passing: {}", passing.join("; ")));
            }
            out.push(sentence(&format!("{head} — {}", parts.join(" — "))));
        } else {
            out.push(sentence(&head));
            out.extend(whys.iter().map(|w| sentence(w)));
            if !passing.is_empty() {
                out.push(sentence(&format!("Passing: {}", passing.join("; "))));
            }
        }
    }
    out
}

fn voting(p: &PowerResult, proposals: Option<&Proposals>) -> Vec<String> {
    let mut out = Vec::new();
    for inst in &p.institutions {
        let (idx_name, idx) = match inst.indices.get("shapley_shubik") {
            Some(i) => ("Shapley–Shubik", Some(i)),
            None => ("Banzhaf", inst.indices.get("banzhaf")),
        };
        let Some(idx) = idx else { continue };
        if !inst.vetoes.is_empty() {
            let share: f64 = inst.vetoes.iter().filter_map(|m| idx.get(m)).sum();
            out.push(sentence(&format!(
                "{}: a decision needs {}; the {} veto holders hold {} of the {idx_name} power between them",
                inst.name,
                inst.rule,
                count_word(inst.vetoes.len()),
                pct(share)
            )));
        } else if let Some((m, v)) = idx.iter().max_by(|a, b| a.1.total_cmp(b.1)) {
            out.push(sentence(&format!(
                "{}: a decision needs {}; no member holds a veto, and the strongest, {m}, has {} of the {idx_name} power",
                inst.name,
                inst.rule,
                pct(*v)
            )));
        }
    }
    if let Some(ps) = proposals {
        let when = match (&ps.as_of, &ps.from) {
            (Some(d), Some(f)) => format!("made between {f} and {d}"),
            (Some(d), None) => format!("made by {d}"),
            _ => "on record".to_string(),
        };
        if ps.known.is_empty() {
            if !ps.followed.is_empty() {
                out.push(sentence(&format!(
                    "No proposal {when} names a point of a scale that the voting bodies' members hold stances on"
                )));
            }
        } else {
            out.extend(proposal_outcomes(
                &ps.known,
                &format!("of the proposals {when}"),
                false,
            ));
        }
        if !ps.followed.is_empty() {
            out.extend(proposal_outcomes(
                &ps.followed,
                &format!(
                    "of the later proposals (after {}), put to the same stances",
                    ps.as_of.as_deref().unwrap_or("that date")
                ),
                true,
            ));
        }
    }
    out
}

// ---------- negotiation ----------

fn negotiation(
    r: &AnalyzeResult,
    runs: &[NegotiateResult],
    pareto: Option<&ParetoResult>,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(first) = runs.first() else {
        return out;
    };
    let label = |issue: &str, value: &str| value_label(r, issue, value);
    let parties = and_list(&first.parties);
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
    let analysis = pareto.map_or(&first.analysis, |p| &p.analysis);
    let agreed: Vec<&NegotiateResult> = runs.iter().filter(|r| r.agreement.is_some()).collect();
    let n_issues = first.issue_names.len();
    if analysis.zopa_outcomes == Some(0) {
        out.push(sentence(&format!(
            "No package of the {} issues gives {parties} more than their alternatives to agreement (reservation values {} on a 0–1 utility scale){}",
            count_word(n_issues),
            res.join(", "),
            if agreed.is_empty() {
                format!(", and none of the {} protocol runs reached a package agreement", count_word(runs.len()))
            } else {
                String::new()
            }
        )));
    } else if let Some(zopa) = analysis.zopa_outcomes {
        out.push(sentence(&format!(
            "{} of the {} packages give {parties} more than their alternatives (reservation values {} on a 0–1 utility scale)",
            zopa,
            analysis.outcomes.map_or("counted".to_string(), |n| n.to_string()),
            res.join(", ")
        )));
    }
    if !agreed.is_empty() {
        let descr: Vec<String> = agreed
            .iter()
            .map(|r| {
                let strat: Vec<&str> = r
                    .parties
                    .iter()
                    .filter_map(|p| r.strategies.get(p).map(String::as_str))
                    .collect();
                let pkg: Vec<String> = r
                    .issue_names
                    .iter()
                    .filter_map(|i| {
                        r.agreement
                            .as_ref()
                            .and_then(|a| a.get(i))
                            .map(|v| format!("{i}: {}", label(i, v)))
                    })
                    .collect();
                format!(
                    "{} ({}) agrees at step {} on {}",
                    r.protocol,
                    strat.join("/"),
                    r.step,
                    pkg.join(", ")
                )
            })
            .collect();
        out.push(sentence(&format!(
            "{} of the {} runs reach a package agreement: {}",
            count_word(agreed.len()),
            count_word(runs.len()),
            descr.join("; ")
        )));
    }
    // Issue by issue.
    let with_issues: Vec<&NegotiateResult> =
        runs.iter().filter(|r| r.issue_by_issue.is_some()).collect();
    if !with_issues.is_empty() {
        let mut all_agree: Vec<String> = Vec::new();
        let mut none_agree: Vec<String> = Vec::new();
        let mut mixed: Vec<String> = Vec::new();
        for issue in &first.issue_names {
            let results: Vec<Option<&String>> = with_issues
                .iter()
                .filter_map(|r| {
                    r.issue_by_issue
                        .as_ref()
                        .and_then(|v| v.iter().find(|x| &x.issue == issue))
                })
                .map(|x| x.agreement.as_ref())
                .collect();
            if results.is_empty() {
                continue;
            }
            let distinct: BTreeSet<Option<&String>> = results.iter().copied().collect();
            if results.iter().all(Option::is_none) {
                let zone = analysis.issues.iter().find(|z| &z.issue == issue);
                let why = match zone {
                    Some(z) if z.zopa.is_empty() => {
                        let ideals: Vec<String> = first
                            .parties
                            .iter()
                            .zip(&z.ideal)
                            .map(|(p, v)| format!("{p} wants {}", label(issue, v)))
                            .collect();
                        format!(
                            " — no value of it beats both alternatives ({})",
                            ideals.join(", ")
                        )
                    }
                    _ => String::new(),
                };
                none_agree.push(format!("{issue}{why}"));
            } else if distinct.len() == 1 {
                let v = results[0].expect("some");
                all_agree.push(format!("{issue} ({})", label(issue, v)));
            } else {
                let n = results.iter().filter(|x| x.is_some()).count();
                mixed.push(format!("{issue} ({n} of {} runs agree)", results.len()));
            }
        }
        let runs_word = if with_issues.len() == 1 {
            "the run".to_string()
        } else {
            format!("all {} runs", count_word(with_issues.len()))
        };
        if !all_agree.is_empty() {
            out.push(sentence(&format!(
                "Negotiated issue by issue, {runs_word} agree on {}",
                and_list(&all_agree)
            )));
        }
        if !none_agree.is_empty() {
            out.push(sentence(&format!(
                "No run agrees on {}",
                and_list(&none_agree)
            )));
        }
        if !mixed.is_empty() {
            out.push(sentence(&format!(
                "The runs differ on {}",
                and_list(&mixed)
            )));
        }
    }
    out
}

// ---------- across lenses ----------

/// The readable name of a bargaining value: the labelled point of the core
/// scale it sits on (its `at`), else the value itself.
pub fn value_label(r: &AnalyzeResult, issue: &str, value: &str) -> String {
    r.value_labels
        .get(issue)
        .and_then(|m| m.get(value))
        .cloned()
        .unwrap_or_else(|| value.to_string())
}

/// What the negotiation runs did with one issue negotiated alone.
enum IssueRuns {
    /// Every run agreed on this value.
    All(String),
    /// No run agreed.
    None,
    /// `k` of `n` runs agreed (on one value or several).
    Some(usize, usize),
}

fn issue_runs(r: &AnalyzeResult, issue: &str) -> Option<(IssueRuns, usize)> {
    let runs = &r.negotiate.as_ref()?.runs;
    let got: Vec<Option<&String>> = runs
        .iter()
        .filter_map(|x| x.issue_by_issue.as_ref())
        .filter_map(|v| v.iter().find(|x| x.issue == issue))
        .map(|x| x.agreement.as_ref())
        .collect();
    if got.is_empty() {
        return None;
    }
    let n = got.len();
    let k = got.iter().filter(|x| x.is_some()).count();
    let distinct: BTreeSet<Option<&String>> = got.iter().copied().collect();
    Some((
        match (k, distinct.len()) {
            (0, _) => IssueRuns::None,
            (k, 1) if k == n => IssueRuns::All(got[0].cloned().unwrap_or_default()),
            _ => IssueRuns::Some(k, n),
        },
        n,
    ))
}

/// A proposal on record at this point of the issue's scale, as voted.
fn vote_at<'a>(r: &'a AnalyzeResult, issue: &str, at: f64) -> Option<&'a ProposalVote> {
    let ps = r.proposals.as_ref()?;
    ps.known
        .iter()
        .chain(&ps.followed)
        .find(|p| p.vote.issue == issue && (p.vote.proposal - at).abs() < 1e-9)
}

/// Issue by issue: the point most forecasting models give, the
/// negotiation runs' agreement on the issue alone, and the vote on a
/// proposal at that point, set side by side: agree or disagree.
fn across(s: &Scenario, r: &AnalyzeResult) -> Vec<Finding> {
    let mut out = Vec::new();
    for core in &s.inputs.issues {
        let scale = format!("on {}–{}", num(core.min, 2), num(core.max, 2));
        let name = short_name(&core.name);
        let point = |x: f64| {
            core.points
                .iter()
                .find(|p| (p.at - x).abs() < 1e-9)
                .map_or_else(
                    || format!("{} {scale}", num(x, 2)),
                    |p| format!("{} ({} {scale})", p.label, num(x, 2)),
                )
        };
        // The forecasts: the largest group of models naming one labelled point.
        let fc = r
            .forecast
            .as_ref()
            .and_then(|f| f.issues.iter().find(|i| i.issue == core.id))
            .filter(|i| !i.models.is_empty());
        let mut fpoint: Option<(f64, String)> = None;
        if let Some(fc) = fc {
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for m in &fc.models {
                let Some(l) = m.nearest_label.as_deref() else {
                    continue;
                };
                match groups.iter_mut().find(|g| g.0 == l) {
                    Some(g) => g.1.push(&m.model),
                    None => groups.push((l, vec![&m.model])),
                }
            }
            groups.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
            if let Some((l, ms)) = groups.first() {
                if let Some(pt) = core.points.iter().find(|p| p.label == *l) {
                    let total = fc.models.len();
                    let who = if ms.len() == total {
                        format!("all {} forecasting models", count_word(total))
                    } else {
                        format!(
                            "{} of the {} forecasting models ({})",
                            count_word(ms.len()),
                            count_word(total),
                            and_list(ms)
                        )
                    };
                    fpoint = Some((pt.at, who));
                }
            }
        }
        let runs = issue_runs(r, &core.id);
        let npoint = match &runs {
            Some((IssueRuns::All(v), _)) => r
                .value_positions
                .get(&core.id)
                .and_then(|m| m.get(v))
                .copied(),
            _ => None,
        };
        let mut lenses = Vec::new();
        let mut agree = true;
        let mut text = String::new();
        match (&fpoint, &runs) {
            (Some((fx, who)), Some((IssueRuns::All(v), n))) => {
                lenses.extend([VerdictLens::Forecast, VerdictLens::Negotiation]);
                match npoint {
                    Some(nx) if (nx - fx).abs() < 1e-9 => {
                        text = format!(
                            "{name}: {who} and all {} negotiation runs agree on {}",
                            count_word(*n),
                            point(*fx)
                        );
                    }
                    Some(nx) => {
                        agree = false;
                        text = format!(
                            "{name}: {who} point to {}, but the {} negotiation runs agree on {}",
                            point(*fx),
                            count_word(*n),
                            point(nx)
                        );
                    }
                    None => {
                        agree = false;
                        text = format!(
                            "{name}: {who} point to {}; the {} negotiation runs agree on {}, which the scenario does not place on this scale",
                            point(*fx),
                            count_word(*n),
                            value_label(r, &core.id, v)
                        );
                    }
                }
            }
            (Some((fx, who)), Some((IssueRuns::None, n))) => {
                lenses.extend([VerdictLens::Forecast, VerdictLens::Negotiation]);
                agree = false;
                text = format!(
                    "{name}: {who} point to {}, but none of the {} negotiation runs reaches any agreement on it",
                    point(*fx),
                    count_word(*n)
                );
            }
            (Some((fx, who)), Some((IssueRuns::Some(k, n), _))) => {
                lenses.extend([VerdictLens::Forecast, VerdictLens::Negotiation]);
                agree = false;
                text = format!(
                    "{name}: {who} point to {}, but only {} of the {} negotiation runs reach an agreement on it",
                    point(*fx),
                    count_word(*k),
                    count_word(*n)
                );
            }
            (Some((fx, who)), None) => {
                lenses.push(VerdictLens::Forecast);
                text = format!("{name}: {who} point to {}", point(*fx));
            }
            (None, _) => {}
        }
        // The vote on a proposal at the forecast point (else the negotiated one).
        if let Some(x) = fpoint.as_ref().map(|f| f.0).or(npoint) {
            if let Some(pv) = vote_at(r, &core.id, x) {
                let v = &pv.vote;
                lenses.push(VerdictLens::Voting);
                let res = if v.passes {
                    format!("would pass the {} ({} yes)", v.name, v.yes)
                } else if !v.vetoed_by.is_empty() {
                    agree = false;
                    format!(
                        "would be vetoed in the {} by {}",
                        v.name,
                        and_list(&v.vetoed_by)
                    )
                } else {
                    agree = false;
                    format!(
                        "would fall short of the majority in the {} ({} yes)",
                        v.name, v.yes
                    )
                };
                if text.is_empty() {
                    text = format!("{name}: a proposal at {} {res}", point(x));
                } else {
                    text = format!("{text}; a proposal at that point ({}) {res}", pv.date);
                }
            }
        }
        if lenses.len() < 2 {
            continue;
        }
        let verdict = if agree {
            "the lenses agree"
        } else {
            "the lenses disagree"
        };
        out.push(Finding {
            number: 0,
            lenses,
            accord: Some(if agree {
                Accord::Agree
            } else {
                Accord::Disagree
            }),
            text: sentence(&format!("{text} — {verdict}")),
        });
    }
    out
}

// ---------- history ----------

/// Kinds of event that mark what followed, in the order looked for.
const MARKING: [EventKind; 4] = [
    EventKind::Declaration,
    EventKind::Recognition,
    EventKind::Agreement,
    EventKind::Ruling,
];

fn history(s: &Scenario) -> Vec<String> {
    let mut events: Vec<&negotium_scenario::Event> = s.events.iter().collect();
    events.sort_by_key(|e| date_key(&e.date));
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let Some(as_of) = s.scenario.as_of.as_deref() else {
        out.push(sentence(&format!(
            "{} dated events from {} to {}; the scenario gives no `as_of` date, so nothing separates what was known from what followed",
            events.len(),
            first.date,
            last.date
        )));
        return out;
    };
    let (known, after): (Vec<&negotium_scenario::Event>, Vec<_>) = events
        .iter()
        .partition(|e| date_key(&e.date) <= date_key(as_of));
    out.push(sentence(&format!(
        "The inputs describe {as_of}: {} of the {} dated events had happened by then{}",
        known.len(),
        events.len(),
        match (after.first(), after.last()) {
            (Some(a), Some(b)) => format!(
                "; {} followed, from {} to {}, and no model reads them",
                after.len(),
                a.date,
                b.date
            ),
            _ => "; none followed".to_string(),
        }
    )));
    // The first event of each marking kind, in date order.
    let mut firsts: Vec<&&negotium_scenario::Event> = MARKING
        .iter()
        .filter_map(|k| after.iter().find(|e| e.kind == *k))
        .collect();
    firsts.sort_by_key(|e| date_key(&e.date));
    let marks: Vec<String> = firsts
        .iter()
        .map(|e| format!("{} {}", e.date, e.title))
        .collect();
    if !marks.is_empty() {
        out.push(sentence(&format!(
            "What followed includes: {}",
            marks.join("; ")
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn third_person_of_imperatives() {
        assert_eq!(
            third_person("declare independence"),
            "declares independence"
        );
        assert_eq!(third_person("veto in the Council"), "vetoes in the Council");
        assert_eq!(third_person("deploy a mission"), "deploys a mission");
        assert_eq!(third_person("use force"), "uses force");
        assert_eq!(third_person("push"), "pushes");
        assert_eq!(third_person("carry"), "carries");
        // Not an imperative: unchanged.
        assert_eq!(third_person("Escalate"), "Escalate");
        assert_eq!(third_person("3 new"), "3 new");
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(and_list::<&str>(&[]), "");
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b"]), "a and b");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
        assert_eq!(sentence("x is y"), "X is y.");
        assert_eq!(count_word(5), "five");
        assert_eq!(count_word(35), "35");
    }
}
