//! One declarative sampling policy for every Sentry SDK.
//!
//! Sentry decides once, at the root span, whether a whole trace is kept. `tracesieve`
//! replaces the hand-written `tracesSampler` / `traces_sampler` functions of every service
//! with one JSON policy and one engine: this crate, which the JavaScript (wasm, napi) and
//! Python (pyo3) packages wrap, so one policy gives the same decision in every language.
//!
//! The policy format is the [`policy_reference`]; its JSON Schema is [`POLICY_SCHEMA`].
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
//! Each stage is a folder of `core/src`.
//!
//! 1. **Policy** (`policy/`). A [`Policy`] is the typed mirror of the JSON format
//!    (the [`policy_reference`]). [`Policy::from_json`] checks JSON shapes; [`Sampler::new`]
//!    validates ranges, ids, globs and limits. Either reports *every* problem with its JSON
//!    path ([`PolicyError`]).
//! 2. **Compile** (`compile/`). [`Sampler::new`] compiles the policy once: globs are
//!    compiled, patterns for `ignoreCase` are folded, rules are split into those that
//!    override the parent and the rest, and the fields the policy reads are collected
//!    ([`Sampler::requirements`]). A compiled sampler can be written as bytes and loaded
//!    without the compiler ([`compiled`]): what the browser module of the npm package does.
//! 3. **Read** (`context/`, `sdk/`). A decision reads its input through the [`Context`]
//!    trait, lazily and at most once per field: a binding can read straight from a
//!    JavaScript object or a Python dict. The [`sdk`] adapters implement the per-SDK field
//!    sources (where `path` comes from in `@sentry/node`, in `sentry-sdk`'s WSGI
//!    integration, ...) over any [`HostObject`]; [`SpanContext`] and [`ErrorContext`] serve
//!    Rust callers. The JavaScript package's wire transport (`wire/`: [`sdk::ReadPlan`],
//!    [`sdk::Snapshot`]) carries a context across the wasm boundary in one call.
//! 4. **Decide** (`decide/`). [`Sampler::decide`] applies Sentry's precedence: a forced
//!    decision; rules with `overrideParent` (the built-in `genAi` rule first); the parent's
//!    rate or decision; the other rules; `defaultRate`. The first step that applies gives
//!    the [`Decision`]: a finite rate in [0, 1], the [`Reason`], the rule id, and, when the
//!    context knows the trace's `sample_rand`, whether the trace is sampled
//!    (`sample_rand < rate`). Deciding never fails and never allocates for contexts that
//!    lend their strings.
//! 5. **Count** (`decide/`). Every decision increments relaxed atomic counters by reason
//!    and by rule; [`Sampler::stats`] snapshots them.
//!
//! Text (`text/`): policies are read by the crate's own strict JSON parser ([`json`]),
//! numbers are written and parsed without core's float formatting code, and the pattern
//! languages ([`Glob`], [`Route`]) live there too, for validation and matching alike.
//!
//! Each stage imports only the stages before it, in this order: `text/`, `context/`,
//! `policy/`, `compile/`, `decide/`, `wire/`, `sdk/` (a test checks the `use` lines).
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
//! - `sentry`: `sentry::traces_sampler` for
//!   `sentry::ClientOptions`, and trace continuation that carries `sample_rand`.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod compile;
mod context;
mod decide;
mod policy;
pub mod policy_reference;
pub mod sdk;
mod text;
mod wire;

pub use compile::bytes as compiled;
pub use context::host;
pub use decide::genai;
#[cfg(feature = "sentry")]
pub use sdk::sentry;
pub use sdk::{extract, propagation};
pub use text::json;

pub use compile::requirements::Requirements;
pub use context::host::HostObject;
pub use context::value::Value;
pub use context::{Context, ErrorContext, Field, SpanContext, WithSampleRand};
pub use decide::decision::{Decision, Reason};
pub use decide::sampler::{Explanation, Sampler};
pub use decide::stats::{Counts, Stats};
pub use policy::error::{PolicyError, Problem};
pub use policy::lint::{Warning, lint};
pub use policy::model::{
    Condition, ErrorPolicy, GEN_AI_RULE_ID, GenAiRule, MAX_DEPTH, MAX_RULES, Matcher, Operators, ParentMode, Policy,
    Rule, Scalar,
};
pub use policy::parse::MAX_POLICY_BYTES;
pub use text::glob::{Glob, GlobError, MAX_GLOB_LEN};
pub use text::route::{Route, RouteError};

// The README's examples run as doctests (the first needs the `sentry` feature).
#[cfg(all(doctest, feature = "sentry"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The version of this crate, which is the version of every tracesieve package.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The JSON Schema (draft 2020-12) of the policy format, `docs/policy.schema.json` of the
/// repository: for editors and validators, which find it through a policy's `"$schema"` key.
pub const POLICY_SCHEMA: &str = include_str!("../policy.schema.json");
