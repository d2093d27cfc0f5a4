//! Scenario → spatial problem (placeholder).
