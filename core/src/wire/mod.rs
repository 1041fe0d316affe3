//! The JavaScript wire transport: the fields a sampler reads, recorded once as a
//! [`ReadPlan`] per SDK shape, and the [`Snapshot`] that carries a context across the
//! JavaScript ↔ wasm boundary in one call. Re-exported from [`sdk`](crate::sdk).

mod plan;
mod snapshot;

pub use plan::{PlanNode, Probe, ReadPlan};
pub use snapshot::{Node, Snapshot};
