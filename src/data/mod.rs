//! Everything under `data/`: the region registry and the datasets.

pub mod registry;
