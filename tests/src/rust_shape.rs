//! Rust-shaped vector cases (`"sdk": "rust"`): `{name, op, sampled, custom}` as a real
//! `sentry::TransactionContext`, which the core's Rust adapter
//! ([`SentryContext`](tracesieve::sentry::SentryContext)) reads.

use serde_json::Value as Json;

/// A real `sentry::TransactionContext` from `{name, op, sampled, custom}`.
pub fn transaction_context(ctx: &Json) -> sentry_core::TransactionContext {
    let name = ctx.get("name").and_then(Json::as_str).unwrap_or("");
    let op = ctx.get("op").and_then(Json::as_str).unwrap_or("");
    let mut tx = sentry_core::TransactionContext::new(name, op);
    tx.set_sampled(ctx.get("sampled").and_then(Json::as_bool));
    for (k, v) in ctx.get("custom").and_then(Json::as_object).into_iter().flatten() {
        tx.custom_insert(k.clone(), v.clone());
    }
    tx
}
