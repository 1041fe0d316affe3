//! The AI-run predicate: every signal in one place.

use crate::condition::Reader;
use crate::context::{Context, Field};

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

/// Whether a context is an AI run, by the signals above.
///
/// ```
/// use tracesieve::{SpanContext, genai::is_ai_run};
/// assert!(is_ai_run(&SpanContext { op: Some("gen_ai.invoke_agent"), ..Default::default() }));
/// assert!(!is_ai_run(&SpanContext { op: Some("genai.chat"), ..Default::default() }));
/// ```
pub fn is_ai_run<C: Context + ?Sized>(ctx: &C) -> bool {
    is_ai_run_read(&mut Reader::new(ctx))
}

pub(crate) fn is_ai_run_read<C: Context + ?Sized>(r: &mut Reader<'_, C>) -> bool {
    let op_says =
        r.field(Field::Op).and_then(|v| v.as_str()).is_some_and(|op| op.starts_with(OP_PREFIX) || op == MCP_SERVER_OP);
    op_says
        || r.field(Field::Origin).and_then(|v| v.as_str()).is_some_and(|o| o.starts_with(ORIGIN_PREFIX))
        || r.context().has_attribute_prefix(ATTRIBUTE_PREFIX)
        || (r.field(Field::Name).and_then(|v| v.as_str()).is_some_and(|n| n.starts_with(VERCEL_NAME_PREFIX))
            && r.context().attribute(VERCEL_OPERATION_ID).is_some())
        || r.context().attribute(VERCEL_SENTRY_OPERATION_ID).is_some()
}
