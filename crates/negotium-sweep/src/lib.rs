//! negotium-sweep: uncertainty and sensitivity for negotium's lenses.
//! Pure: typed inputs in, serialisable summaries and tidy tables out; no
//! files, no terminal. Same inputs and seed → same numbers, bit for bit,
//! whatever the thread count or the split of the draws into blocks.
//!
//! * [`input`] — uncertain inputs ([`UncertainInput`]: which number, point,
//!   range, distribution) and the stated blanket [`Perturb`].
//! * [`draw`] — one ChaCha8 stream per draw, keyed by (seed, index).
//! * [`summary`] — type-7 quantiles, mean and sd, label probabilities.
//! * [`sobol`] — Saltelli sampling, Saltelli (2010) first-order and Jansen
//!   (1999) total indices with bootstrap intervals.
//! * [`spatial`] — the spatial sweep: Monte Carlo, Sobol and tornado over
//!   every spatial model and issue.
//! * [`table`] — every draw as tidy tables (CSV/Parquet via
//!   negotium-tabular).

pub mod draw;
pub mod input;
pub mod sobol;
pub mod spatial;
pub mod summary;
pub mod table;

pub use input::{Distribution, InputError, Perturb, Target, UncertainInput};
pub use sobol::{SobolIndex, SobolOptions};
pub use spatial::{merge_blocks, Draw, Issue, SpatialSweep, SweepError, SweepReport};
pub use summary::{Label, Quantiles};
