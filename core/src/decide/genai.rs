//! The AI-run predicate, over the signals it re-exports (defined with the requirements they
//! add, in `compile/`).

use crate::context::{Context, Field};
use crate::decide::field_cache::FieldCache;

pub use crate::compile::ai_signals::{
    ATTRIBUTE_PREFIX, MCP_SERVER_OP, OP_PREFIX, ORIGIN_PREFIX, SERVER_OPS, VERCEL_NAME_PREFIX, VERCEL_OPERATION_ID,
    VERCEL_SENTRY_OPERATION_ID,
};

/// Whether a context is an AI run, by the signals above.
///
/// ```
/// use tracesieve::{SpanContext, genai::is_ai_run};
/// assert!(is_ai_run(&SpanContext { op: Some("gen_ai.invoke_agent"), ..Default::default() }));
/// assert!(!is_ai_run(&SpanContext { op: Some("genai.chat"), ..Default::default() }));
/// ```
pub fn is_ai_run<C: Context + ?Sized>(ctx: &C) -> bool {
    is_ai_run_read(&mut FieldCache::new(ctx))
}

pub(crate) fn is_ai_run_read<C: Context + ?Sized>(r: &mut FieldCache<'_, C>) -> bool {
    let op_says =
        r.field(Field::Op).and_then(|v| v.as_str()).is_some_and(|op| op.starts_with(OP_PREFIX) || op == MCP_SERVER_OP);
    op_says
        || r.field(Field::Origin).and_then(|v| v.as_str()).is_some_and(|o| o.starts_with(ORIGIN_PREFIX))
        || r.context().has_attribute_prefix(ATTRIBUTE_PREFIX)
        || (r.field(Field::Name).and_then(|v| v.as_str()).is_some_and(|n| n.starts_with(VERCEL_NAME_PREFIX))
            && r.context().attribute(VERCEL_OPERATION_ID).is_some())
        || r.context().attribute(VERCEL_SENTRY_OPERATION_ID).is_some()
}
