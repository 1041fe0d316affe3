//! Decisions per second, against a hand-written sampler in the same process.
//!
//! `make bench` runs this and prints a table (scripts/bench_table.py).
//! (a) the bundled policy over 10,000 roots of the bundled traffic, next to the seed's
//!     hand-written AI sampler (HTTP-routes version) translated to Rust;
//! (b) a 100-rule policy that every root falls through;
//! (c) compiling each policy.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tracesieve::{Context, Field, Sampler, SpanContext};

#[path = "common.rs"]
mod common;

/// The seed's hand-written sampler (docs.sentry.io AI sampling, HTTP-routes version) with
/// the demo's health, payment and search routes, as a Rust service would write it.
fn hand_written(ctx: &SpanContext<'_>) -> f64 {
    if ctx.attributes.iter().any(|(k, _)| *k == "gen_ai.operation.name") {
        return 1.0;
    }
    let path = ctx.path.unwrap_or("");
    if ["/api/chat", "/api/agent", "/api/generate"].iter().any(|p| path.contains(p)) {
        return 1.0;
    }
    if let Some(rate) = ctx.parent_sample_rate {
        return rate;
    }
    if let Some(sampled) = ctx.parent_sampled {
        return if sampled { 1.0 } else { 0.0 };
    }
    if path.starts_with("/health") || path.starts_with("/ready") {
        return 0.0;
    }
    if path.starts_with("/payment") {
        return 0.5;
    }
    if path.starts_with("/search")
        && ctx.field(Field::Method).and_then(|m| m.as_str().map(|s| s == "GET")) == Some(true)
    {
        return 0.01;
    }
    0.2
}

const N: usize = 10_000;

fn bench(c: &mut Criterion) {
    let roots = common::traffic(N);
    let attrs: Vec<_> = roots.iter().map(common::attributes).collect();
    let contexts: Vec<SpanContext<'_>> = roots.iter().zip(&attrs).map(|(r, a)| common::context(r, a)).collect();
    let seed = Sampler::from_json(common::SEED_POLICY).expect("valid policy");
    let hundred_text = common::hundred_rule_policy();
    let hundred = Sampler::from_json(&hundred_text).expect("valid policy");

    let mut g = c.benchmark_group("decide");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("seed_policy", |b| {
        b.iter(|| contexts.iter().map(|c| seed.decide(black_box(c)).rate).sum::<f64>())
    });
    g.bench_function("hand_written", |b| b.iter(|| contexts.iter().map(|c| hand_written(black_box(c))).sum::<f64>()));
    g.bench_function("hundred_rules", |b| {
        b.iter(|| contexts.iter().map(|c| hundred.decide(black_box(c)).rate).sum::<f64>())
    });
    g.finish();

    let mut g = c.benchmark_group("compile");
    g.bench_function("seed_policy", |b| b.iter(|| Sampler::from_json(black_box(common::SEED_POLICY))));
    g.bench_function("hundred_rules", |b| b.iter(|| Sampler::from_json(black_box(&hundred_text))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
