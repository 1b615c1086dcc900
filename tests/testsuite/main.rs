//! Lumbung's test suite, one binary (as mdBook's `tests/testsuite/`): fixture sites are copied to
//! temporary folders, changed, built, and the files and diagnostics produced are checked.

mod errors;
mod fuzz;
mod harness;
mod import;
mod incremental;
mod national;
mod quality;
mod releases;
mod reliability;
mod search;
mod serve;
mod site;
mod snapshots;
mod standards;
mod tidy;
mod translation;
mod trust;
