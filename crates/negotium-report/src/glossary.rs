//! One-line definitions of every model, concept and index the reports name,
//! with their units: footnotes in the text (first use marked ¹, ², …) and
//! hover titles plus a glossary section in the HTML report.

/// A defined term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// Lookup key (the id the results use, e.g. `eum`, `gmr`, `shapley_shubik`).
    pub key: &'static str,
    /// The term as shown.
    pub term: &'static str,
    /// One line, in plain words, with the unit where there is one.
    pub definition: &'static str,
}

/// Every defined term, grouped by lens.
pub const TERMS: &[Term] = &[
    // Spatial models.
    Term { key: "median", term: "median", definition: "the position no majority of capability × salience can beat: the capability×salience-weighted median of the stated positions (in scale points)." },
    Term { key: "compromise", term: "compromise", definition: "the capability×salience-weighted mean of the stated positions (in scale points)." },
    Term { key: "nash", term: "nash", definition: "the asymmetric Nash bargaining solution: the point that maximises the product of every actor's utility gain over disagreement, weighted by capability × salience." },
    Term { key: "eum", term: "eum", definition: "Bueno de Mesquita's expected-utility model (as specified by Scholz, Calbert & Smith 2011): round by round actors challenge, compromise or give way; the forecast is the weighted median of the last round, so when the model has not converged (\"no conv.\") it is simply where the last round stopped." },
    Term { key: "smp", term: "smp", definition: "KTAB's Spatial Model of Politics: each turn actors challenge one another and strike pairwise bargains, judged in probabilistic Condorcet elections; its forecast is the expected final position (each distinct final position weighted by its probability of prevailing), which is why it is neither the final median nor the final mean." },
    Term { key: "exchange", term: "exchange", definition: "Stokman & van Oosten's exchange model: actors trade a move on an issue they care less about for a move they want on another, with equal gains." },
    Term { key: "error", term: "error", definition: "|forecast − recorded outcome| in points of the issue's scale; the recorded outcome is used only to score, never read by a model." },
    Term { key: "salience", term: "salience", definition: "how much an issue matters to an actor, from 0 (not at all) to 1 (above all else)." },
    Term { key: "capability", term: "capability", definition: "an actor's leverage over the dispute, on the scenario's own scale (see its capability scheme)." },
    // GMCR.
    Term { key: "gmcr", term: "GMCR", definition: "Graph Model for Conflict Resolution: decision makers (DMs) take or drop options; a state is one choice of every option; each DM ranks the states." },
    Term { key: "equilibrium", term: "equilibrium", definition: "a state stable for every decision maker under a given stability concept." },
    Term { key: "nash_stability", term: "Nash", definition: "Nash stability: the DM has no unilateral move to a state it prefers." },
    Term { key: "gmr", term: "GMR", definition: "general metarationality: every improvement the DM has can be answered by the others' moves with a state it does not prefer to the start." },
    Term { key: "smr", term: "SMR", definition: "symmetric metarationality: as GMR, and the DM cannot escape the sanction by moving again." },
    Term { key: "seq", term: "SEQ", definition: "sequential stability: every improvement can be sanctioned by the others using only moves that improve their own positions." },
    Term { key: "sim", term: "SIM", definition: "simultaneous stability: if the DM and the others move at once from the state, each by an improvement, the DM ends no better off." },
    Term { key: "seq_sim", term: "SEQ&SIM", definition: "stable under both SEQ and SIM." },
    // Voting power.
    Term { key: "shapley_shubik", term: "Shapley–Shubik", definition: "the share of orderings of the members in which a member's vote turns a losing coalition into a winning one (shares sum to 1)." },
    Term { key: "banzhaf", term: "Banzhaf", definition: "how often a member is critical — its leaving turns a winning coalition into a losing one — normalised so the members' values sum to 1." },
    Term { key: "banzhaf_absolute", term: "Banzhaf (absolute)", definition: "the probability that a member is critical when every coalition is equally likely (0–1, not normalised)." },
    Term { key: "holler", term: "Holler–Packel", definition: "the public-good index: a member's share of all memberships in minimal winning coalitions (sums to 1)." },
    Term { key: "deegan_packel", term: "Deegan–Packel", definition: "every minimal winning coalition equally likely and its members sharing equally; a member's expected share (sums to 1)." },
    Term { key: "johnston", term: "Johnston", definition: "Banzhaf with each swing shared among the members critical in that coalition (sums to 1)." },
    Term { key: "coleman_prevent", term: "Coleman: power to prevent", definition: "the share of winning coalitions that a member turns into losing ones by leaving (0–1)." },
    Term { key: "coleman_initiate", term: "Coleman: power to initiate", definition: "the share of losing coalitions without a member that it turns into winning ones by joining (0–1)." },
    Term { key: "power_to_act", term: "power to act", definition: "Coleman's power of the collectivity to act: the share of all coalitions that win (0–1); low means the body rarely decides." },
    Term { key: "veto", term: "veto", definition: "a member without whom no coalition wins." },
    // Negotiation.
    Term { key: "utility", term: "utility", definition: "a party's valuation of an outcome, from 0 (its worst) to 1 (its best)." },
    Term { key: "reservation", term: "reservation value", definition: "the utility (0–1) of a party's best alternative to a negotiated agreement; a rational party accepts nothing below it." },
    Term { key: "zopa", term: "zone of agreement", definition: "the outcomes every party values strictly above its reservation value." },
    Term { key: "pareto", term: "Pareto frontier", definition: "the outcomes that no other outcome improves for one party without making another worse off." },
    Term { key: "sao", term: "SAO", definition: "stacked alternating offers: the parties take turns to make an offer or accept the one on the table, until the step budget runs out." },
    Term { key: "single-text", term: "single text", definition: "a mediator drafts one text and amends it step by step; each party can veto a change; the final text is put to the parties." },
    Term { key: "boulware", term: "boulware", definition: "a time-based strategy that concedes little until the deadline nears." },
    Term { key: "conceder", term: "conceder", definition: "a time-based strategy that concedes early." },
    Term { key: "nash_bargaining", term: "Nash solution", definition: "the outcome maximising the product of the parties' utility gains over their reservation values." },
    Term { key: "kalai_smorodinsky", term: "Kalai–Smorodinsky", definition: "the outcome on the frontier where every party gets the same share of its best possible gain." },
];

/// The term with this key.
pub fn term(key: &str) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.key == key)
}

/// The terms whose shown name occurs in `text` as a whole word (letters,
/// digits and `-` do not continue it), in glossary order. Names of three
/// letters or fewer must match case; longer ones match in any case.
pub fn used_in(text: &str) -> Vec<&'static Term> {
    let lower = text.to_lowercase();
    TERMS
        .iter()
        .filter(|t| {
            let short = t.term.chars().count() <= 3;
            let (hay, needle) = if short {
                (text.to_string(), t.term.to_string())
            } else {
                (lower.clone(), t.term.to_lowercase())
            };
            let cont = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
            hay.match_indices(&needle).any(|(i, m)| {
                !cont(hay[..i].chars().next_back()) && !cont(hay[i + m.len()..].chars().next())
            })
        })
        .collect()
}

/// [`used_in`] and, over and over, the terms their definitions use (so a
/// glossary built from it leaves no term undefined), in glossary order.
pub fn used_in_closed(text: &str) -> Vec<&'static Term> {
    let mut all = used_in(text);
    loop {
        let defs: String = all
            .iter()
            .map(|t| t.definition)
            .collect::<Vec<_>>()
            .join(" ");
        let more: Vec<&'static Term> = used_in(&defs)
            .into_iter()
            .filter(|t| !all.contains(t))
            .collect();
        if more.is_empty() {
            break;
        }
        all.extend(more);
    }
    all.sort_by_key(|t| TERMS.iter().position(|u| u.key == t.key));
    all
}

/// The glossary key of a stability concept key (`nash` → `nash_stability`).
pub fn concept_key(concept: &str) -> &str {
    match concept {
        "nash" => "nash_stability",
        other => other,
    }
}

const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn superscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| SUPERSCRIPT[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

/// Footnotes for a text report: the first use of a term gets a
/// superscript number, and [`Notes::flush`] writes the definitions of the
/// terms marked since the last flush (at the end of each section).
#[derive(Debug, Default)]
pub struct Notes {
    numbered: Vec<&'static str>,
    pending: Vec<(usize, &'static Term)>,
    /// Defined elsewhere: never marked.
    known: Vec<&'static str>,
}

impl Notes {
    pub fn new() -> Self {
        Self::default()
    }

    /// Notes that leave these terms unmarked (already defined, e.g. under
    /// the verdict).
    pub fn defined(terms: &[&'static Term]) -> Self {
        Notes {
            numbered: Vec::new(),
            pending: Vec::new(),
            known: terms.iter().map(|t| t.key).collect(),
        }
    }

    /// `shown` followed by the term's footnote number; the number is given
    /// on the first use only. Unknown keys give `shown` unchanged.
    pub fn mark(&mut self, key: &str, shown: &str) -> String {
        let Some(t) = term(key) else {
            return shown.to_string();
        };
        if self.numbered.contains(&t.key) || self.known.contains(&t.key) {
            return shown.to_string();
        }
        self.numbered.push(t.key);
        let n = self.numbered.len();
        self.pending.push((n, t));
        format!("{shown}{}", superscript(n))
    }

    /// [`Notes::mark`] with the term's own spelling.
    pub fn term(&mut self, key: &str) -> String {
        let shown = term(key).map_or(key, |t| t.term);
        self.mark(key, shown)
    }

    /// The definitions marked since the last flush, one line each, indented.
    pub fn flush(&mut self) -> String {
        let mut s = String::new();
        for (n, t) in self.pending.drain(..) {
            s.push_str(&crate::analyze::wrap(
                &format!("{}{}: {}", superscript(n), t.term, t.definition),
                78,
                "  ",
                "    ",
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_definitions_are_sentences() {
        for (i, t) in TERMS.iter().enumerate() {
            assert!(
                TERMS[..i].iter().all(|u| u.key != t.key),
                "duplicate {}",
                t.key
            );
            assert!(t.definition.ends_with('.'), "{}", t.key);
            assert!(!t.definition.contains('\n'), "one line: {}", t.key);
        }
    }

    #[test]
    fn numbers_on_first_use_and_flushes_once() {
        let mut n = Notes::new();
        assert_eq!(n.term("eum"), "eum¹");
        assert_eq!(n.term("eum"), "eum");
        assert_eq!(n.mark("gmr", "GMR"), "GMR²");
        assert_eq!(n.mark("unknown", "x"), "x");
        let f = n.flush();
        assert!(f.starts_with("  ¹eum: Bueno de Mesquita"));
        assert!(f.contains("\n  ²GMR: general metarationality"));
        assert_eq!(n.flush(), "");
        assert_eq!(superscript(12), "¹²");
    }

    #[test]
    fn every_model_concept_and_index_is_defined() {
        for k in [
            "median",
            "compromise",
            "nash",
            "eum",
            "smp",
            "exchange",
            "nash_stability",
            "gmr",
            "smr",
            "seq",
            "sim",
            "seq_sim",
            "shapley_shubik",
            "banzhaf",
            "holler",
            "deegan_packel",
            "johnston",
            "coleman_prevent",
            "coleman_initiate",
            "power_to_act",
            "reservation",
            "error",
        ] {
            assert!(term(k).is_some(), "{k}");
        }
    }
}
