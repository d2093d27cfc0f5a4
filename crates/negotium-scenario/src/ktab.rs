//! KTAB CSV import (placeholder).
