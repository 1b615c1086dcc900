//! Lumbung: turns `content/` (Markdown) and `data/` (CSV + Data Package) into a static poverty-data portal.

// Diagnostics are large on purpose (file, position, excerpt, hint) and only travel on the error path.
#![allow(clippy::result_large_err)]

pub mod build;
mod calendar;
pub mod charts;
mod compress;
pub mod config;
mod content;
pub mod data;
mod depends;
pub mod diagnostic;
mod downloads;
pub mod freeze;
pub mod i18n;
mod ics;
pub mod import;
mod inside;
mod jobs;
pub mod links;
pub mod live;
mod locale;
mod model;
pub mod output;
mod published;
mod render;
mod search;
pub mod serve;
mod slug;
mod spans;
mod theme;
mod unchanged;
mod urls;
mod view;
mod xlsx;
