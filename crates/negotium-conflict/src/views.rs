//! Serialisable views of results that grow with the state space, written
//! element by element by any serde serializer (no intermediate JSON tree: a
//! `serde_json::Value` costs several hundred bytes per state object). With
//! `serde_json::to_writer` the memory of writing a million-state result is
//! the result itself plus the output buffer.
//!
//! The shapes are those of the `negotium conflict --json` contract
//! (docs/conflict.md): keys in alphabetical order, state numbers 1-based.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::bitset::BitSet;
use crate::space::Conflict;
use crate::stability::ConceptResult;

/// Every feasible state: `[{"decimal": code, "number": n, "pattern": "YN…"}, …]`.
pub struct StatesView<'a>(pub &'a Conflict);

impl Serialize for StatesView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        let mut seq = ser.serialize_seq(Some(c.len()))?;
        for s in 0..c.len() {
            seq.serialize_element(&StateView(c, s))?;
        }
        seq.end()
    }
}

struct StateView<'a>(&'a Conflict, usize);

impl Serialize for StateView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let (c, s) = (self.0, self.1);
        let mut m = ser.serialize_map(Some(3))?;
        m.serialize_entry("decimal", &c.code(s))?;
        m.serialize_entry("number", &c.number(s))?;
        m.serialize_entry("pattern", &c.pattern(s))?;
        m.end()
    }
}

/// The members of a state set as GMCR state numbers: `[1, 5, …]`.
pub struct NumbersView<'a>(pub &'a BitSet);

impl Serialize for NumbersView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.0.count()))?;
        for s in self.0.iter() {
            seq.serialize_element(&(s + 1))?;
        }
        seq.end()
    }
}

/// Per concept key, per DM name, the stable states:
/// `{"gmr": {"DM0": [..], …}, …}` (concepts and names in alphabetical order).
pub struct StabilityView<'a> {
    pub conflict: &'a Conflict,
    pub results: &'a [ConceptResult],
}

impl Serialize for StabilityView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut rs: Vec<&ConceptResult> = self.results.iter().collect();
        rs.sort_by_key(|r| r.concept.key());
        rs.dedup_by_key(|r| r.concept.key());
        let mut m = ser.serialize_map(Some(rs.len()))?;
        for r in rs {
            m.serialize_entry(
                r.concept.key(),
                &PerDmView {
                    conflict: self.conflict,
                    result: r,
                },
            )?;
        }
        m.end()
    }
}

struct PerDmView<'a> {
    conflict: &'a Conflict,
    result: &'a ConceptResult,
}

impl Serialize for PerDmView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let dms = self.conflict.dms();
        // by name; of equal names the last DM (as a JSON object built by
        // inserting DMs in order would keep)
        let mut order: Vec<usize> = (0..dms.len()).collect();
        order.sort_by(|&a, &b| dms[a].name.cmp(&dms[b].name).then(b.cmp(&a)));
        order.dedup_by(|a, b| dms[*a].name == dms[*b].name);
        let mut m = ser.serialize_map(Some(order.len()))?;
        for i in order {
            m.serialize_entry(&dms[i].name, &NumbersView(&self.result.per_dm[i]))?;
        }
        m.end()
    }
}

/// Per concept key, the equilibria: `{"gmr": [..], "nash": [..], …}`.
pub struct EquilibriaView<'a>(pub &'a [ConceptResult]);

impl Serialize for EquilibriaView<'_> {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut rs: Vec<&ConceptResult> = self.0.iter().collect();
        rs.sort_by_key(|r| r.concept.key());
        rs.dedup_by_key(|r| r.concept.key());
        let mut m = ser.serialize_map(Some(rs.len()))?;
        for r in rs {
            m.serialize_entry(r.concept.key(), &NumbersView(&r.equilibria))?;
        }
        m.end()
    }
}
