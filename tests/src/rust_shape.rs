//! Rust-shaped vector cases (`"sdk": "rust"`): `{name, op, sampled, custom}` as a real
//! `sentry::TransactionContext`, which the core's Rust adapter
//! ([`SentryContext`](tracesieve::sentry::SentryContext)) reads.

use serde_json::{Map, Value as Json, json};
use tracesieve::sentry::SentryContext;
use tracesieve::{Context, Field};

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

/// A value the adapter read, as JSON (`null` when it read none).
fn json_of<T: Into<Json>>(v: Option<T>) -> Json {
    v.map_or(Json::Null, Into::into)
}

/// The canonical projection of a Rust-shaped context `{name, op, sampled, custom}`: what
/// the core's Rust adapter reads from it, so that runners of other languages decide those
/// cases through their canonical adapter instead of re-implementing the adapter's sources.
pub fn canonical(ctx: &Json) -> Json {
    let tx = transaction_context(ctx);
    let rust = SentryContext::new(&tx);
    let field = |f: Field| json_of(rust.field(f).and_then(|v| v.as_str().map(String::from)));
    // The custom context, as the sentry crate holds it; the adapter reads each of its keys
    // as an attribute too: the attributes are the keys it finds there.
    let custom: Map<String, Json> = tx.custom().cloned().unwrap_or_default();
    let attributes: Map<String, Json> =
        custom.iter().filter(|(k, _)| rust.attribute(k).is_some()).map(|(k, v)| (k.clone(), v.clone())).collect();
    json!({
        "name": field(Field::Name),
        "op": field(Field::Op),
        "method": field(Field::Method),
        "path": field(Field::Path),
        "attributes": attributes,
        "custom": custom,
        "parentSampled": json_of(rust.parent_sampled()),
        "parentSampleRate": json_of(rust.parent_sample_rate()),
        "sampleRand": json_of(rust.sample_rand()),
    })
}
