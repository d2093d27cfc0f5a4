//! The conflict lens as text: the option form of the equilibria, equilibria
//! per concept, per-DM stability, reasons, and the status-quo, coalition,
//! bloc, inverse and limited-move analyses.

use crate::Align;
use std::fmt::Write as _;

use negotium_analysis::conflict::{
    change_description, coalition_key, concept_label, concepts, inverse_concepts, states_shown,
    ConflictParams, ConflictResult, StateSet, StepOut, VerdictOut, SHOWN_PATHS, SHOWN_STATES,
};

/// A list of state numbers, at most `max` of them, then the count.
fn list(v: &[usize], max: usize) -> String {
    list_of(v.iter().copied(), v.len(), max)
}

/// The first `max` of `len` state numbers, then the count if there are more.
fn list_of(v: impl Iterator<Item = usize>, len: usize, max: usize) -> String {
    if len == 0 {
        return "none".into();
    }
    let mut s: Vec<String> = v.take(max).map(|x| x.to_string()).collect();
    if len > max {
        s.push(format!("… ({len} in all)"));
    }
    s.join(", ")
}

fn set_list(v: &StateSet, max: usize) -> String {
    list_of(v.iter(), v.len(), max)
}

fn steps_text(p: &[StepOut]) -> String {
    if p.is_empty() {
        return "(already there)".into();
    }
    p.iter()
        .map(|s| format!("{} → {}", s.dm, s.state))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The concept keys of the parameters, in order (the result's maps are sorted).
fn keys(params: &ConflictParams) -> Vec<&'static str> {
    concepts(params)
        .map(|cs| cs.iter().map(|c| c.key()).collect())
        .unwrap_or_default()
}

static EMPTY: StateSet = StateSet::EMPTY;

fn equilibria<'a>(r: &'a ConflictResult, key: &str) -> &'a StateSet {
    r.equilibria.get(key).unwrap_or(&EMPTY)
}

/// The whole text report of `negotium conflict`.
pub fn render(r: &ConflictResult, params: &ConflictParams) -> String {
    let ks = keys(params);
    let shown = states_shown(params).unwrap_or(SHOWN_STATES);
    let mut out = summary_shown(r, &ks, params.all_states, shown);
    out.push_str(&concept_order(r, &ks));
    out.push_str(&historical(r));
    out.push_str(&explanations(r, &ks));
    out.push_str(&status_quo(r));
    for co in &params.coalition {
        let Some(key) = coalition_key(r, co) else {
            continue;
        };
        let Some(c) = r.coalitions.as_ref().and_then(|m| m.get(&key)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "\nCoalition {key} — coalitional improvements from each {} equilibrium:",
            concept_label(&c.concept)
        );
        let stable = c.from_equilibria.iter().filter(|f| f.count == 0).count();
        let _ = writeln!(
            out,
            "  {} equilibria: {stable} coalition-stable, {} with improvements ({} in all).",
            c.from_equilibria.len(),
            c.from_equilibria.len() - stable,
            c.from_equilibria.iter().map(|f| f.count).sum::<usize>()
        );
        for (listed, fe) in c.from_equilibria.iter().enumerate() {
            if listed >= shown {
                let _ = writeln!(
                    out,
                    "  (first {shown} equilibria shown; --states all or --json for the rest)"
                );
                break;
            }
            if fe.count == 0 {
                let _ = writeln!(out, "  state {}: none (coalition-stable)", fe.equilibrium);
                continue;
            }
            if fe.improvements.len() < fe.count {
                let _ = writeln!(
                    out,
                    "  state {}: {} improvements{}",
                    fe.equilibrium,
                    fe.count,
                    if fe.improvements.is_empty() {
                        String::new()
                    } else {
                        format!(", the first {}:", fe.improvements.len())
                    }
                );
            }
            for m in &fe.improvements {
                let _ = writeln!(
                    out,
                    "  state {} → {} by {}",
                    fe.equilibrium,
                    m.to,
                    steps_text(&m.path)
                );
            }
        }
    }
    if let Some(p) = &r.partition {
        let _ = writeln!(
            out,
            "\nBloc analysis (gmcr-py partition semantics: {}):",
            p.blocs.join(" | ")
        );
        for k in &ks {
            if let Some(eq) = p.equilibria.get(*k) {
                let _ = writeln!(out, "  {:<7} {}", concept_label(k), list(eq, shown));
            }
        }
    }
    if let Some(inv) = &r.inverse {
        let _ = writeln!(
            out,
            "\nInverse analysis: state {} over {} preference profiles{}:",
            inv.state,
            inv.profiles,
            if inv.mode == "gmcr-py" {
                " (GMCR+ counting)"
            } else {
                ""
            }
        );
        let cs = concepts(params).unwrap_or_default();
        for k in inverse_concepts(params, &cs) {
            if let Some(n) = inv.counts.get(k.key()) {
                let _ = writeln!(
                    out,
                    "  {:<7} {n} profiles make it an equilibrium",
                    k.label()
                );
            }
        }
    }
    if let Some(lm) = &r.limited_move {
        let _ = writeln!(out, "\nLimited-move stability (tie rule: all tie-breaks followed; stable iff the only anticipated outcome is the state itself):");
        for h in lm {
            let _ = writeln!(out, "  L_{:<3} {}", h.horizon, list(&h.equilibria, shown));
        }
    }
    out
}

/// The size line, the option form of the equilibria (or of every state with
/// `all_states`), the equilibria per concept and each DM's stable states.
/// `concepts` are the keys in the order to show them.
pub fn summary(r: &ConflictResult, concepts: &[&str], all_states: bool) -> String {
    summary_shown(r, concepts, all_states, SHOWN_STATES)
}

/// [`summary`] listing at most `shown` states per table or list.
pub fn summary_shown(
    r: &ConflictResult,
    concepts: &[&str],
    all_states: bool,
    shown: usize,
) -> String {
    let mut out = String::new();
    let n_opts = r.options.len();
    let _ = writeln!(
        out,
        "Conflict {}: {} decision makers, {} options, {} feasible states (of {}).",
        r.title,
        r.dms.len(),
        n_opts,
        r.states.len(),
        1u128 << n_opts
    );
    let (cols, total): (Vec<usize>, usize) = if all_states {
        ((1..=r.states.len()).take(shown).collect(), r.states.len())
    } else {
        // The union of the equilibria, as a merge of the sorted sets.
        let mut union = StateSet::new();
        for k in concepts {
            union.union_with(equilibria(r, k));
        }
        (union.first(shown), union.len())
    };
    if cols.is_empty() {
        let _ = writeln!(
            out,
            "\nNo state is an equilibrium under the concepts shown."
        );
    } else {
        let _ = writeln!(
            out,
            "\nOption form ({}; Y = option taken):",
            if all_states {
                "all states"
            } else {
                "equilibria"
            }
        );
        let dm_id = |number: usize| {
            r.dms
                .iter()
                .find(|d| d.options.contains(&number))
                .map_or("", |d| d.id.as_str())
        };
        let labels: Vec<String> = r
            .options
            .iter()
            .map(|o| format!("{} {}", dm_id(o.number), o.name))
            .collect();
        let w = crate::label_width(labels.iter().map(String::as_str), 8).min(48);
        let cw = cols
            .iter()
            .map(|s| s.to_string().len())
            .max()
            .unwrap_or(1)
            .max(1);
        let cell = |s: &str| format!(" {}", crate::pad(s, cw, Align::Right));
        let head: String = cols.iter().map(|s| cell(&s.to_string())).collect();
        let _ = writeln!(out, "  {} {head}", crate::pad("state", w, Align::Left));
        let code = |s: usize| r.states.code(s).unwrap_or(0);
        for (k, label) in labels.iter().enumerate() {
            let label = crate::pad(&crate::fit(label, w), w, Align::Left);
            let row: String = cols
                .iter()
                .map(|&s| cell(if code(s) >> k & 1 == 1 { "Y" } else { "N" }))
                .collect();
            let _ = writeln!(out, "  {label} {row}");
        }
        for k in concepts {
            let eq = equilibria(r, k);
            let row: String = cols
                .iter()
                .map(|&s| cell(if eq.contains(s) { "✓" } else { "·" }))
                .collect();
            let label = crate::pad(&crate::fit(concept_label(k), w), w, Align::Left);
            let _ = writeln!(out, "  {label} {row}");
        }
        if total > cols.len() {
            let _ = writeln!(
                out,
                "  (first {} of {total} states shown; --states N or all, or --json for all)",
                cols.len()
            );
        }
    }
    let _ = writeln!(out, "\nEquilibria (count: states):");
    for k in concepts {
        let eq = equilibria(r, k);
        let _ = writeln!(
            out,
            "  {:<8} {:>w$}: {}",
            concept_label(k),
            eq.len(),
            set_list(eq, shown),
            w = r.states.len().to_string().len().min(9)
        );
    }
    let _ = writeln!(
        out,
        "\nStable states per decision maker (count; states if few):"
    );
    let nw = crate::label_width(r.dms.iter().map(|d| d.name.as_str()), 0);
    for d in &r.dms {
        let parts: Vec<String> = concepts
            .iter()
            .map(|k| {
                let v: &StateSet = r
                    .stability
                    .get(*k)
                    .and_then(|m| m.get(&d.name))
                    .unwrap_or(&EMPTY);
                if v.len() <= 8 {
                    format!("{} {} [{}]", concept_label(k), v.len(), set_list(v, 8))
                } else {
                    format!("{} {}", concept_label(k), v.len())
                }
            })
            .collect();
        let name = crate::pad(&crate::fit(&d.name, nw), nw, Align::Left);
        let _ = writeln!(out, "  {name} {}", parts.join("; "));
    }
    out
}

/// The historical end state and the concepts under which it is stable.
pub fn historical(r: &ConflictResult) -> String {
    let Some(h) = &r.historical else {
        return String::new();
    };
    format!(
        "\nHistorical end state {} ({}): {}\n",
        h.state,
        h.pattern,
        if h.equilibrium_under.is_empty() {
            "not an equilibrium under any concept shown".to_string()
        } else {
            format!(
                "an equilibrium under {}",
                h.equilibrium_under
                    .iter()
                    .map(|k| concept_label(k))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )
}

/// The inclusions GMCR's theory guarantees between equilibrium sets: Nash ⊆
/// SMR ⊆ GMR, Nash ⊆ SEQ ⊆ GMR, Nash ⊆ SIM, and SEQ, SIM ⊆ SEQ&SIM (gmcr-py's
/// SEQ-or-SIM column).
const THEORY: [(&str, &str); 7] = [
    ("nash", "smr"),
    ("smr", "gmr"),
    ("nash", "seq"),
    ("seq", "gmr"),
    ("nash", "sim"),
    ("seq", "seq_sim"),
    ("sim", "seq_sim"),
];

/// The concept-order table: for each pair of concepts shown, how many
/// states are equilibria under both (the diagonal: under the concept), and
/// whether the inclusions of GMCR's theory hold on this model.
pub fn concept_order(r: &ConflictResult, concepts: &[&str]) -> String {
    let mut out = String::new();
    if concepts.len() < 2 {
        return out;
    }
    let _ = writeln!(
        out,
        "\nConcept order (equilibria under both; diagonal: under the concept):"
    );
    let w = concepts
        .iter()
        .map(|k| equilibria(r, k).len().to_string().len())
        .max()
        .unwrap_or(1)
        .max(7);
    let head: String = concepts
        .iter()
        .map(|k| format!(" {:>w$}", concept_label(k)))
        .collect();
    let _ = writeln!(out, "  {:<8}{head}", "");
    for a in concepts {
        let ea = equilibria(r, a);
        let row: String = concepts
            .iter()
            .map(|b| format!(" {:>w$}", ea.intersection_len(equilibria(r, b))))
            .collect();
        let _ = writeln!(out, "  {:<8}{row}", concept_label(a));
    }
    let mut holds = Vec::new();
    let mut fails = Vec::new();
    for (a, b) in THEORY {
        if !(concepts.contains(&a) && concepts.contains(&b)) {
            continue;
        }
        let (ea, eb) = (equilibria(r, a), equilibria(r, b));
        let text = format!("{} ⊆ {}", concept_label(a), concept_label(b));
        if ea.is_subset(eb) {
            holds.push(text);
        } else {
            fails.push(format!(
                "{text} fails: {} of {} states",
                ea.len() - ea.intersection_len(eb),
                concept_label(a)
            ));
        }
    }
    if !holds.is_empty() {
        let _ = writeln!(out, "  Holds: {}.", holds.join(", "));
    }
    if !fails.is_empty() {
        let _ = writeln!(out, "  Not here: {}.", fails.join("; "));
    }
    out
}

/// A move in words: `→ 7 (declare independence)`.
fn move_text(r: &ConflictResult, from: usize, to: usize) -> String {
    format!("→ {to} ({})", change_description(r, from, to))
}

/// A sanction in words, each step from the state before it:
/// `USA: recognise Kosovo → 9, then …`.
fn sanction_text(r: &ConflictResult, from: usize, steps: &[StepOut]) -> String {
    let mut prev = from;
    let mut v = Vec::new();
    for st in steps {
        v.push(format!(
            "{}: {} → {}",
            st.dm,
            change_description(r, prev, st.state),
            st.state
        ));
        prev = st.state;
    }
    v.join(", then ")
}

/// One concept's verdict for one DM at state `s`, in words.
fn verdict_line(
    r: &ConflictResult,
    dm: &str,
    s: usize,
    concept: &str,
    imps: &[VerdictOut],
) -> String {
    let deterred = |v: &&VerdictOut| v.sanction.is_some();
    let open: Vec<&VerdictOut> = imps.iter().filter(|v| !deterred(v)).collect();
    let n = imps.len();
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    if let Some(v) = open.first() {
        let why = match (&v.escape, concept) {
            (Some(e), _) => format!(
                "the sanction {} is escaped by {dm} {}",
                sanction_text(r, v.to, &e.sanction),
                move_text(r, e.sanction.last().map_or(v.to, |x| x.state), e.to)
            ),
            (None, "nash") => "a unilateral improvement".into(),
            (None, "seq") => "no sanction made of the others' own improvements answers it".into(),
            (None, "sim") => "the others cannot answer it with a simultaneous sanction".into(),
            (None, "seq_sim") => "neither a SEQ nor a SIM sanction answers it".into(),
            _ => "no sequence of the others' moves answers it with a sanction".into(),
        };
        let more = if open.len() > 1 {
            format!(
                " ({} of {n} improvement{} undeterred)",
                open.len(),
                plural(n)
            )
        } else {
            String::new()
        };
        return format!("unstable: {} — {why}{more}", move_text(r, s, v.to));
    }
    let v = &imps[0];
    let sanction = v.sanction.as_deref().unwrap_or(&[]);
    format!(
        "stable: {} sanctioned, e.g. {} is answered by {}{}",
        if n == 1 {
            "its one improvement is".to_string()
        } else {
            format!("all {n} improvements are")
        },
        move_text(r, s, v.to),
        sanction_text(r, v.to, sanction),
        if v.simultaneous {
            " (simultaneously)"
        } else {
            ""
        }
    )
}

/// Why each explained state is or is not stable, in option names: per DM,
/// its moves, and per concept the first undeterred improvement (and how many
/// there are) or a sanction that deters one.
pub fn explanations(r: &ConflictResult, concepts: &[&str]) -> String {
    let mut out = String::new();
    let (Some(ex), Some(states)) = (&r.explanations, &r.explained) else {
        return out;
    };
    for st in states {
        let s = st.state;
        let under: Vec<&str> = st
            .equilibrium_under
            .iter()
            .map(|k| concept_label(k))
            .collect();
        let _ = writeln!(
            out,
            "\nWhy state {s} ({}) is or is not stable: {}.",
            st.pattern, st.description
        );
        let _ = writeln!(
            out,
            "  An equilibrium under {}.",
            if under.is_empty() {
                "no concept shown".to_string()
            } else {
                under.join(", ")
            }
        );
        for m in &st.moves {
            let _ = writeln!(
                out,
                "  {}: {} move{} ({} better, {} as good, {} worse)",
                crate::fit(&m.dm, crate::MAX_CELL),
                m.better.len() + m.equal.len() + m.worse.len(),
                if m.better.len() + m.equal.len() + m.worse.len() == 1 {
                    ""
                } else {
                    "s"
                },
                m.better.len(),
                m.equal.len(),
                m.worse.len()
            );
            if m.better.is_empty() {
                let _ = writeln!(
                    out,
                    "    no unilateral improvement: stable under every concept"
                );
                continue;
            }
            for k in concepts {
                let Some(e) = ex
                    .iter()
                    .find(|e| e.state == s && e.dm == m.dm && e.concept == *k)
                else {
                    continue;
                };
                let _ = writeln!(
                    out,
                    "    {:<8} {}",
                    concept_label(k),
                    verdict_line(r, &m.dm, s, k, &e.improvements)
                );
            }
        }
    }
    out
}

/// Reachability from the status quo and the paths to the targets (the
/// first [`SHOWN_PATHS`]; the JSON has them all).
pub fn status_quo(r: &ConflictResult) -> String {
    let mut out = String::new();
    let Some(sq) = &r.status_quo else {
        return out;
    };
    let _ = writeln!(
        out,
        "\nStatus quo: state {} ({}). {} states reachable by legal move sequences{}.",
        sq.start,
        sq.pattern,
        sq.reachable.len(),
        if sq.improvements_only {
            " of unilateral improvements"
        } else {
            ""
        }
    );
    let hist = r.historical.as_ref().map(|h| h.state);
    for p in sq.paths.iter().take(SHOWN_PATHS) {
        let tag = if Some(p.to) == hist {
            " (historical)"
        } else {
            ""
        };
        match &p.steps {
            Some(steps) => {
                let _ = writeln!(
                    out,
                    "  to {}{tag} in {} move{}: {}",
                    p.to,
                    steps.len(),
                    if steps.len() == 1 { "" } else { "s" },
                    steps_text(steps)
                );
            }
            None => {
                let _ = writeln!(out, "  to {}{tag}: not reachable", p.to);
            }
        }
    }
    if sq.paths.len() > SHOWN_PATHS {
        let _ = writeln!(
            out,
            "  ({} more targets in --json)",
            sq.paths.len() - SHOWN_PATHS
        );
    }
    out
}
