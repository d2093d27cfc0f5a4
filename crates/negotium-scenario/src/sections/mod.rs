//! Optional scenario sections, one module per lens. Each section owns its
//! serde shape, its validation (reported as [`crate::validate::Problems`] at
//! paths) and its mapping onto its lens crate's input types.

pub mod bargaining;
pub mod conflict;
pub mod institution;
