//! Shared helpers for the integration tests: small conflicts written by hand.
#![allow(dead_code)]

use negotium_conflict::formula::{parse, OptionNames};
use negotium_conflict::*;

/// One DM: name, its options `(id, reversibility)`, and preferences given
/// either as statements (strings) or as a ranking of state numbers.
pub struct Dm<'a> {
    pub name: &'a str,
    pub options: &'a [(&'a str, Reversibility)],
    pub statements: &'a [&'a str],
    pub ranking: Option<Vec<Vec<usize>>>,
    pub misperceived: &'a [&'a str],
}

pub fn dm<'a>(name: &'a str, options: &'a [(&'a str, Reversibility)]) -> Dm<'a> {
    Dm {
        name,
        options,
        statements: &[],
        ranking: None,
        misperceived: &[],
    }
}

/// Builds a spec; statements and infeasibility patterns are parsed text.
pub fn spec(dms: &[Dm], infeasible: &[&str]) -> ConflictSpec {
    let mut options = Vec::new();
    for (i, d) in dms.iter().enumerate() {
        for (id, r) in d.options {
            options.push(OptionSpec {
                id: id.to_string(),
                name: id.to_string(),
                dm: i,
                reversibility: *r,
            });
        }
    }
    let mut s = ConflictSpec {
        dms: Vec::new(),
        options,
        infeasible: Vec::new(),
    };
    let ids = s.option_ids();
    let grouped = s.grouped_order();
    let opt_names = s.option_names();
    let names = OptionNames {
        ids: &ids,
        names: &opt_names,
        grouped: &grouped,
    };
    let p = |t: &str| parse(t, &names).unwrap();
    s.infeasible = infeasible.iter().map(|t| p(t)).collect();
    s.dms = dms
        .iter()
        .map(|d| DmSpec {
            id: d.name.to_string(),
            name: d.name.to_string(),
            preferences: match &d.ranking {
                Some(r) => Preferences::Ranking(r.clone()),
                None => Preferences::Statements(d.statements.iter().map(|t| p(t)).collect()),
            },
            misperceived: d.misperceived.iter().map(|t| p(t)).collect(),
        })
        .collect();
    s
}

pub const B: Reversibility = Reversibility::Both;

/// Equilibria (state numbers) of one concept, textbook semantics.
pub fn eq(c: &Conflict, concept: Concept) -> Vec<usize> {
    analyze(c, &[concept], Semantics::Textbook).unwrap()[0]
        .equilibria
        .iter()
        .map(|s| s + 1)
        .collect()
}

/// Stable states (numbers) for one DM.
pub fn stable(c: &Conflict, i: usize, concept: Concept) -> Vec<usize> {
    negotium_conflict::stability::stable_for(c, i, concept, Semantics::Textbook)
        .unwrap()
        .iter()
        .map(|s| s + 1)
        .collect()
}

pub fn flat(r: &[Vec<usize>]) -> Vec<usize> {
    r.iter().flatten().copied().collect()
}

pub fn prisoners() -> Conflict {
    let mut a = dm("DM1", &[("c1", B)]);
    a.statements = &["-Y", "N-"];
    let mut b = dm("DM2", &[("c2", B)]);
    b.statements = &["Y-", "-N"];
    Conflict::build(&spec(&[a, b], &[])).unwrap()
}

pub fn chicken() -> Conflict {
    let mut a = dm("DM1", &[("d1", B)]);
    a.ranking = Some(vec![vec![2], vec![1], vec![3], vec![4]]);
    let mut b = dm("DM2", &[("d2", B)]);
    b.ranking = Some(vec![vec![3], vec![1], vec![2], vec![4]]);
    Conflict::build(&spec(&[a, b], &[])).unwrap()
}

pub fn syria_iraq_spec(misperceptions: bool) -> ConflictSpec {
    let mut syria = dm("Syria", &[("release", B), ("escalate", B)]);
    syria.statements = &["NNN", "2", "-3", "-1"];
    let mut iraq = dm("Iraq", &[("attack", B)]);
    iraq.statements = &["YNN", "NNY", "NYY", "NNN", "YNY"];
    if misperceptions {
        syria.misperceived = &["YN-"];
        iraq.misperceived = &["NN-"];
    }
    spec(&[syria, iraq], &["YY-"])
}

pub fn syria_iraq() -> Conflict {
    Conflict::build(&syria_iraq_spec(false)).unwrap()
}
