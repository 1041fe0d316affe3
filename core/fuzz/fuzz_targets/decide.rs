//! `decide` on arbitrary contexts (any JSON, read as canonical, JavaScript and Python
//! sampling contexts) against valid policies taken from the conformance vectors.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tracesieve::sdk::{Canonical, Js, Python};
use tracesieve::{Context, Sampler};

/// Every policy of `tests/vectors/*.json` that compiles.
fn samplers() -> &'static [Sampler] {
    static SAMPLERS: OnceLock<Vec<Sampler>> = OnceLock::new();
    SAMPLERS.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("vectors").flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            let Ok(file) = serde_json::from_str::<Value>(&text) else { continue };
            let policies = file["cases"].as_array().into_iter().flatten().filter_map(|c| c.get("policy"));
            let shared = file["policies"].as_object().into_iter().flat_map(|p| p.values());
            out.extend(policies.chain(shared).filter_map(|p| Sampler::from_json(&p.to_string()).ok()));
        }
        assert!(out.len() > 100, "the vectors hold many valid policies");
        out
    })
}

fn check(sampler: &Sampler, ctx: &dyn Context) {
    let d = sampler.decide(ctx);
    assert!(d.rate.is_finite() && (0.0..=1.0).contains(&d.rate), "{d:?}");
    assert_eq!(sampler.explain(ctx).decision, d);
    let e = sampler.decide_error(ctx);
    assert!((0.0..=1.0).contains(&e.rate));
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, json)) = data.split_first() else { return };
    let Ok(ctx) = serde_json::from_slice::<Value>(json) else { return };
    let samplers = samplers();
    let sampler = &samplers[usize::from(pick) % samplers.len()];
    check(sampler, &Canonical::new(&ctx));
    check(sampler, &Js::new(&ctx));
    check(sampler, &Python::new(&ctx));
});
