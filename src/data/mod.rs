//! Everything under `data/`: the region registry and the datasets.

pub mod dataset;
pub mod descriptor;
pub mod period;
pub mod registry;
