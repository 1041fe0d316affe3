//! Sampling contexts as each Sentry SDK passes them, read through [`HostObject`].
//!
//! One adapter per shape, each a [`Context`](crate::Context): the per-SDK field sources of
//! the [policy reference](crate::policy_reference) live here once, for every binding and for
//! the conformance runner. The Rust `sentry` crate's adapter is `sentry` (feature `sentry`); [`extract`] and
//! [`propagation`] hold what the adapters share: names, paths and trace headers.
//!
//! The JavaScript wire transport's types ([`ReadPlan`], [`Snapshot`], ...) live in the
//! crate's `wire` stage and are re-exported here.
//!
//! [`HostObject`]: crate::HostObject

mod canonical;
pub mod extract;
mod fields;
mod java;
mod js;
pub mod propagation;
mod python;
mod record;
mod ruby;
#[cfg(feature = "sentry")]
pub mod sentry;

pub use crate::wire::{Node, PlanNode, Probe, ReadPlan, Snapshot};
pub use canonical::Canonical;
pub use java::{Java, JavaEvent, MAX_JAVA_STR};
pub use js::{Js, JsEvent, MAX_JS_STR};
pub use python::{MAX_PYTHON_STR, Python, PythonEvent, sample_rand_of_trace_id};
pub use record::{RECORD_AI_ATTRIBUTES, RECORD_AI_MARKER, RECORD_FIELDS, RecordKeys, record_line};
pub use ruby::{MAX_RUBY_STR, RUBY_KEYS, RUBY_READERS, Ruby, RubyEvent};
