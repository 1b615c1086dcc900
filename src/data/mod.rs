//! Everything under `data/`: the region registry and the datasets (descriptor, schema, rows, cells, released versions).

pub mod cells;
pub mod checks;
pub mod corrections;
pub mod dataset;
pub mod descriptor;
pub mod period;
pub mod registry;
pub mod releases;
pub mod rows;
pub mod schema;
mod sidecar;
pub mod targets;
