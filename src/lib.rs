//! Lumbung: turns `content/` (Markdown) and `data/` (CSV + Data Package) into a static poverty-data portal.

// Diagnostics are large on purpose (file, position, excerpt, hint) and only travel on the error path.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod calendar;
pub mod charts;
pub mod compress;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostic;
pub mod downloads;
pub mod import;
pub mod jobs;
pub mod links;
pub mod locale;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod slug;
pub mod spans;
pub mod theme;
pub mod urls;
pub mod view;
