//! One declarative sampling policy for every Sentry SDK.
//!
//! Sentry decides once, at the root span, whether a whole trace is kept. `tracesieve`
//! replaces the hand-written `tracesSampler` / `traces_sampler` functions of every service
//! with one JSON policy and one engine: this crate, which the JavaScript (wasm, napi) and
//! Python (pyo3) packages wrap, so one policy gives the same decision in every language.
//!
//! ```
//! use tracesieve::{Reason, Sampler, SpanContext, Value};
//!
//! let sampler = Sampler::from_json(r#"{
//!     "defaultRate": 0.2,
//!     "genAi": { "routes": ["/api/chat*"] },
//!     "rules": [ { "id": "health", "when": { "path": ["/health*", "/ready"] }, "rate": 0 } ]
//! }"#)?;
//!
//! // An agent run is kept, even when it continues an unsampled trace.
//! let attrs = [("gen_ai.operation.name", Value::str("invoke_agent"))];
//! let agent = SpanContext { name: Some("invoke_agent triage"), attributes: &attrs,
//!                           parent_sampled: Some(false), ..Default::default() };
//! assert_eq!(sampler.decide(&agent).rate, 1.0);
//!
//! // Health checks are dropped; everything else gets the default, or its parent's rate.
//! let health = SpanContext { path: Some("/healthz"), ..Default::default() };
//! assert_eq!(sampler.decide(&health).reason, Reason::Rule);
//! let other = SpanContext { path: Some("/orders"), parent_sample_rate: Some(0.5), ..Default::default() };
//! assert_eq!(sampler.decide(&other).rate, 0.5);
//! # Ok::<(), tracesieve::PolicyError>(())
//! ```
//!
//! # How it works
//!
//! 1. **Policy.** A [`Policy`] is the typed mirror of the JSON format (`docs/policy.md`).
//!    [`Policy::from_json`] checks JSON shapes; [`Sampler::new`] validates ranges, ids,
//!    globs and limits. Either reports *every* problem with its JSON path
//!    ([`PolicyError`]).
//! 2. **Compile.** [`Sampler::new`] compiles the policy once: globs are compiled, patterns
//!    for `ignoreCase` are folded, rules are split into those that override the parent and
//!    the rest, and the fields the policy reads are collected ([`Sampler::requirements`]).
//!    A compiled sampler can be written as bytes and loaded without the compiler
//!    ([`compiled`]): what the browser module of the npm package does.
//! 3. **Read.** A decision reads its input through the [`Context`] trait, lazily and at
//!    most once per field: a binding can read straight from a JavaScript object or a Python
//!    dict. The [`sdk`] adapters implement the per-SDK field sources (where `path` comes
//!    from in `@sentry/node`, in `sentry-sdk`'s WSGI integration, ...) over any
//!    [`HostObject`]; [`SpanContext`] and [`ErrorContext`] serve Rust callers.
//! 4. **Decide.** [`Sampler::decide`] applies Sentry's precedence: a forced decision; rules
//!    with `overrideParent` (the built-in `genAi` rule first); the parent's rate or
//!    decision; the other rules; `defaultRate`. The first step that applies gives the
//!    [`Decision`]: a finite rate in [0, 1], the [`Reason`], the rule id, and, when the
//!    context knows the trace's `sample_rand`, whether the trace is sampled
//!    (`sample_rand < rate`). Deciding never fails and never allocates for contexts that
//!    lend their strings.
//! 5. **Count.** Every decision increments relaxed atomic counters by reason and by rule;
//!    [`Sampler::stats`] snapshots them.
//!
//! The core holds no clock and no random number generator: randomness (`sample_rand`)
//! comes in with the context, and [`propagation`] helps callers that must read or
//! backfill it.
//!
//! # Crate features
//!
//! - `std` (default): `std::error::Error` for [`PolicyError`]. Without it the crate is
//!   `no_std` and needs only `alloc`.
//! - `json` (default): [`HostObject`] for `serde_json::Value`, to decide contexts held as
//!   `serde_json` values. Works without `std`. (Policies are read by the crate's own
//!   strict JSON parser, [`json`], with or without this feature.)
//! - `sentry`: [`sentry::traces_sampler`] for
//!   `sentry::ClientOptions`, and trace continuation that carries `sample_rand`.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod compiled;
mod condition;
mod context;
mod decision;
mod error;
pub mod extract;
pub mod genai;
mod glob;
pub mod host;
pub mod json;
mod lowercase;
mod matcher;
mod num;
mod parse;
mod policy;
pub mod propagation;
mod route;
mod sampler;
pub mod sdk;
#[cfg(feature = "sentry")]
pub mod sentry;
mod serialize;
mod stats;
mod validate;
mod value;

pub use context::{Context, ErrorContext, Field, SpanContext, WithSampleRand};
pub use decision::{Decision, Reason};
pub use error::{PolicyError, Problem};
pub use glob::{Glob, GlobError, MAX_GLOB_LEN};
pub use host::HostObject;
pub use parse::MAX_POLICY_BYTES;
pub use policy::{
    Condition, ErrorPolicy, GEN_AI_RULE_ID, GenAiRule, MAX_DEPTH, MAX_RULES, Matcher, Operators, ParentMode, Policy,
    Rule, Scalar,
};
pub use route::{Route, RouteError};
pub use sampler::{Explanation, Requirements, Sampler};
pub use stats::{Counts, Stats};
pub use value::Value;

/// The version of this crate, which is the version of every tracesieve package.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
