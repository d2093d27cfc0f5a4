//! Compact containers for results that grow with the state space: a set of
//! state numbers as a bitset, and the feasible states as their decimal codes.
//! Both serialise exactly as the plain lists they replace (`[1, 5, …]` and
//! `[{"number", "decimal", "pattern"}, …]`), element by element, so a
//! million-state result costs a bit per state in a set and eight bytes per
//! state in the table, and can be written to a stream without a JSON tree.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::StateOut;

/// A set of GMCR state numbers (1-based). JSON: the numbers in increasing
/// order.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct StateSet {
    /// Bit `n − 1` is state `n`; no trailing zero words (so equal sets are
    /// equal values).
    words: Vec<u64>,
    count: usize,
}

impl StateSet {
    /// The empty set, as a constant.
    pub const EMPTY: StateSet = StateSet {
        words: Vec::new(),
        count: 0,
    };

    /// The empty set.
    pub fn new() -> StateSet {
        StateSet::default()
    }

    /// The set of the given 0-based state indices (state numbers are index + 1).
    pub fn from_indices(indices: impl IntoIterator<Item = usize>) -> StateSet {
        let mut s = StateSet::new();
        for i in indices {
            s.insert(i + 1);
        }
        s
    }

    /// Adds state `number` (≥ 1; 0 is ignored).
    pub fn insert(&mut self, number: usize) {
        if number == 0 {
            return;
        }
        let (w, b) = ((number - 1) / 64, (number - 1) % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        if self.words[w] >> b & 1 == 0 {
            self.words[w] |= 1 << b;
            self.count += 1;
        }
    }

    /// How many states the set holds.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether state `number` is in the set.
    pub fn contains(&self, number: usize) -> bool {
        number >= 1
            && self
                .words
                .get((number - 1) / 64)
                .is_some_and(|w| w >> ((number - 1) % 64) & 1 == 1)
    }

    /// The state numbers in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(k * 64 + b + 1)
            })
        })
    }

    /// The first `n` state numbers.
    pub fn first(&self, n: usize) -> Vec<usize> {
        self.iter().take(n).collect()
    }

    /// Every state number, in increasing order.
    pub fn to_vec(&self) -> Vec<usize> {
        self.iter().collect()
    }

    /// How many states are in both sets.
    pub fn intersection_len(&self, other: &StateSet) -> usize {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }

    /// Adds every state of `other`.
    pub fn union_with(&mut self, other: &StateSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
        self.count = self.words.iter().map(|w| w.count_ones() as usize).sum();
    }

    /// Whether every state of this set is in `other`.
    pub fn is_subset(&self, other: &StateSet) -> bool {
        self.intersection_len(other) == self.count
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

impl FromIterator<usize> for StateSet {
    /// From state numbers (1-based).
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> StateSet {
        let mut s = StateSet::new();
        for n in iter {
            s.insert(n);
        }
        s
    }
}

impl fmt::Debug for StateSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for StateSet {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.count))?;
        for n in self.iter() {
            seq.serialize_element(&n)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for StateSet {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<StateSet, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StateSet;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of state numbers (1, 2, …)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StateSet, A::Error> {
                let mut s = StateSet::new();
                while let Some(n) = seq.next_element::<usize>()? {
                    if n == 0 {
                        return Err(de::Error::custom("state numbers start at 1, got 0"));
                    }
                    if n > 1 << 32 {
                        return Err(de::Error::custom(format!(
                            "state number {n} is above the largest possible, 2^32"
                        )));
                    }
                    s.insert(n);
                }
                Ok(s)
            }
        }
        de.deserialize_seq(V)
    }
}

/// The feasible states in GMCR order: state `k + 1` has decimal code
/// `codes[k]` (Σ 2^j over the options taken, option 1 being bit 0). JSON:
/// `[{"number": 1, "decimal": 0, "pattern": "NN…"}, …]`, the pattern having
/// one `Y`/`N` per option.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct States {
    options: usize,
    codes: Vec<u64>,
}

impl States {
    /// The states of a model with `options` options, by decimal code in
    /// state-number order.
    pub fn new(options: usize, codes: Vec<u64>) -> States {
        States { options, codes }
    }

    /// How many feasible states there are.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The decimal code of state `number` (1-based).
    pub fn code(&self, number: usize) -> Option<u64> {
        number
            .checked_sub(1)
            .and_then(|k| self.codes.get(k))
            .copied()
    }

    /// The Y/N pattern of state `number`, option 1 first.
    pub fn pattern(&self, number: usize) -> Option<String> {
        self.code(number).map(|c| pattern(c, self.options))
    }

    /// State `number` as its JSON object.
    pub fn get(&self, number: usize) -> Option<StateOut> {
        self.code(number).map(|c| StateOut {
            number,
            decimal: c,
            pattern: pattern(c, self.options),
        })
    }

    /// Every state as its JSON object, in order.
    pub fn iter(&self) -> impl Iterator<Item = StateOut> + '_ {
        (1..=self.len()).filter_map(|n| self.get(n))
    }

    /// The number of the state with this decimal code, if it is feasible.
    pub fn number_of(&self, code: u64) -> Option<usize> {
        self.codes.binary_search(&code).ok().map(|k| k + 1)
    }
}

fn pattern(code: u64, options: usize) -> String {
    (0..options)
        .map(|k| if code >> k & 1 == 1 { 'Y' } else { 'N' })
        .collect()
}

/// A pattern written straight from a code (no allocation per state).
struct PatternOf(u64, usize);

impl Serialize for PatternOf {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut buf = [b'N'; 64];
        let n = self.1.min(64);
        for (k, b) in buf[..n].iter_mut().enumerate() {
            if self.0 >> k & 1 == 1 {
                *b = b'Y';
            }
        }
        ser.serialize_str(std::str::from_utf8(&buf[..n]).unwrap_or_default())
    }
}

struct StateRef(usize, u64, usize);

impl Serialize for StateRef {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut m = ser.serialize_map(Some(3))?;
        m.serialize_entry("number", &self.0)?;
        m.serialize_entry("decimal", &self.1)?;
        m.serialize_entry("pattern", &PatternOf(self.1, self.2))?;
        m.end()
    }
}

impl Serialize for States {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let mut seq = ser.serialize_seq(Some(self.codes.len()))?;
        for (k, &c) in self.codes.iter().enumerate() {
            seq.serialize_element(&StateRef(k + 1, c, self.options))?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for States {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<States, D::Error> {
        let v = Vec::<StateOut>::deserialize(de)?;
        let options = v.first().map_or(0, |s| s.pattern.chars().count());
        if options > 64 {
            return Err(de::Error::custom(format!(
                "a pattern has {options} options; at most 64 are possible"
            )));
        }
        let mut codes = Vec::with_capacity(v.len());
        for (k, s) in v.iter().enumerate() {
            if s.number != k + 1 {
                return Err(de::Error::custom(format!(
                    "states[{k}]: number {} out of order; expected {}",
                    s.number,
                    k + 1
                )));
            }
            if s.pattern != pattern(s.decimal, options) {
                return Err(de::Error::custom(format!(
                    "states[{k}]: pattern {:?} does not match decimal {}",
                    s.pattern, s.decimal
                )));
            }
            codes.push(s.decimal);
        }
        Ok(States { options, codes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A set serialises as the sorted, deduplicated numbers it was given
        /// and reads back equal.
        #[test]
        fn state_sets_are_sorted_number_lists(v in prop::collection::vec(1usize..5000, 0..200)) {
            let s: StateSet = v.iter().copied().collect();
            let mut want = v.clone();
            want.sort_unstable();
            want.dedup();
            prop_assert_eq!(s.len(), want.len());
            prop_assert_eq!(serde_json::to_value(&s).unwrap(), serde_json::json!(want));
            let back: StateSet = serde_json::from_value(serde_json::json!(v)).unwrap();
            prop_assert_eq!(&back, &s);
            for n in 0..5010 {
                prop_assert_eq!(s.contains(n), want.binary_search(&n).is_ok());
            }
            // Intersections against a naive count over the other list.
            let tl: Vec<usize> = v.iter().map(|&n| n / 2 + 1).collect();
            let t: StateSet = tl.iter().copied().collect();
            let naive = want.iter().filter(|n| tl.contains(n)).count();
            prop_assert_eq!(s.intersection_len(&t), naive);
            prop_assert_eq!(t.intersection_len(&s), naive);
            prop_assert_eq!(s.is_subset(&t), naive == want.len());
            let mut u = s.clone();
            u.union_with(&t);
            let mut ul: Vec<usize> = want.iter().chain(&tl).copied().collect();
            ul.sort_unstable();
            ul.dedup();
            prop_assert_eq!(u.to_vec(), ul);
        }
    }

    #[test]
    fn states_serialise_as_the_plain_table_and_read_back() {
        let st = States::new(3, vec![0, 1, 5, 6]);
        let js = serde_json::to_value(&st).unwrap();
        assert_eq!(
            js,
            serde_json::json!([
                {"number": 1, "decimal": 0, "pattern": "NNN"},
                {"number": 2, "decimal": 1, "pattern": "YNN"},
                {"number": 3, "decimal": 5, "pattern": "YNY"},
                {"number": 4, "decimal": 6, "pattern": "NYY"},
            ])
        );
        let back: States = serde_json::from_value(js).unwrap();
        assert_eq!(back, st);
        assert_eq!(st.number_of(5), Some(3));
        assert_eq!(st.number_of(2), None);
        let bad = serde_json::json!([{"number": 1, "decimal": 1, "pattern": "NNN"}]);
        let e = serde_json::from_value::<States>(bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("does not match decimal 1"), "{e}");
        assert!(serde_json::from_value::<StateSet>(serde_json::json!([0])).is_err());
    }
}
