//! Lumbung: turns `content/` (Markdown) and `data/` (CSV + Data Package) into a static poverty-data portal.

pub mod charts;
pub mod data;
pub mod diagnostic;
pub mod locale;
