//! The signals of the AI-run predicate: what a `genAi` condition reads (compiled into the
//! sampler's requirements here) and what [`is_ai_run`](crate::genai::is_ai_run) tests
//! (in `decide/`). Re-exported from [`genai`](crate::genai).

/// `op` starts with this: `gen_ai.chat`, `gen_ai.invoke_agent`, ...
pub const OP_PREFIX: &str = "gen_ai.";
/// `op` equal to this: the Python MCP integration's server root.
pub const MCP_SERVER_OP: &str = "mcp.server";
/// `origin` starts with this: `auto.ai.openai`, `auto.ai.openai_agents` (whose workflow
/// root has no op).
pub const ORIGIN_PREFIX: &str = "auto.ai.";
/// Any attribute key that starts with this: `gen_ai.operation.name`, `gen_ai.system`...
pub const ATTRIBUTE_PREFIX: &str = "gen_ai.";
/// Vercel AI SDK roots under `@sentry/node` v10 are named `ai.generateText`, ... and carry
/// [`VERCEL_OPERATION_ID`].
pub const VERCEL_NAME_PREFIX: &str = "ai.";
/// The attribute every Vercel AI SDK span has under `@sentry/node` v10.
pub const VERCEL_OPERATION_ID: &str = "ai.operationId";
/// The attribute `@sentry/node` v11's Vercel AI integration sets instead
/// (`"ai.generateText"`, ...): present on any name.
pub const VERCEL_SENTRY_OPERATION_ID: &str = "vercel.ai.operationId";

/// The ops of roots that serve a request (globs), to which `genAi.routes` apply besides
/// roots with no op: `http.server` and every other `*.server` op, and sentry-ruby's
/// `rack.request`.
pub const SERVER_OPS: &[&str] = &["*.server", "rack.request"];
