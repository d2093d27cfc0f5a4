//! Weighted statistics (placeholder).
