//! Built-in scenarios (placeholder).
