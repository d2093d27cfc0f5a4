//! negotium-fuzz: a mutation fuzzer for every loader and lens engine that
//! runs on a stable toolchain, and the replay of the regression corpus.
//!
//! * [`seeds`]: the seed inputs — built-in scenarios and the project's
//!   fixtures in every format (TOML, JSON, KTAB CSV, `.gmcr`, GENIUS XML).
//! * [`mutate`]: seeded (ChaCha8) mutations: byte flips, truncation, splices,
//!   huge and non-finite numbers, deep nesting, duplicated lines, long
//!   strings, junk. Case `i` of seed `s` is a pure function of `(s, i)`.
//! * [`target`]: feeds one input to its loader and, when it loads, to every
//!   lens engine through the scenario crate's adapters, checking that every
//!   number in every result is finite and every rejection is located.
//! * [`guard`]: runs one case on a thread with a bounded stack under
//!   `catch_unwind` and a watchdog, turning panics, non-finite results and
//!   runaway time into a [`Finding`](guard::Finding). A stack overflow aborts
//!   the process whatever the thread, so the `negotium-fuzz` binary runs
//!   cases in a worker subprocess and its supervisor records the case that
//!   was running when a worker died (see `docs/fuzzing.md`).
//! * [`finite`]: a serde serializer that finds the first non-finite number
//!   in any serialisable result, with its path.

pub mod finite;
pub mod guard;
pub mod mutate;
pub mod seeds;
pub mod target;

pub use guard::{run_guarded, Finding, Verdict};
pub use seeds::Kind;
