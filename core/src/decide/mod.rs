//! Stage 4, decide: the [`Sampler`](sampler::Sampler) and Sentry's precedence
//! ([`sampler`]), compiled conditions evaluated ([`eval`]) through the per-decision cache
//! that reads each field once ([`field_cache`]), the AI-run predicate ([`genai`]), the
//! [`Decision`](decision::Decision) it gives, the counters of every decision ([`stats`]),
//! and a sampler written as compiled bytes and loaded back ([`compiled`]).

pub(crate) mod compiled;
pub(crate) mod decision;
pub(crate) mod eval;
pub(crate) mod field_cache;
pub mod genai;
pub(crate) mod sampler;
pub(crate) mod stats;
