//! Stage 4, decide: the [`Sampler`](sampler::Sampler) and Sentry's precedence
//! ([`sampler`]), the per-decision cache that reads each field once ([`field_cache`]), the
//! AI-run predicate ([`genai`]), the [`Decision`](decision::Decision) it gives, and the
//! counters of every decision ([`stats`]).

pub(crate) mod compiled;
pub(crate) mod decision;
pub(crate) mod eval;
pub(crate) mod field_cache;
pub mod genai;
pub(crate) mod sampler;
pub(crate) mod stats;
