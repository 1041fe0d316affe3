//! Policy parsing and compilation from arbitrary bytes: never a panic; a compiled policy
//! decides a finite rate in [0, 1], what it writes out parses to the same policy, and its
//! compiled bytes load as a sampler that decides the same and writes the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracesieve::{Policy, Sampler, SpanContext};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Sampler::from_json(text) {
        Ok(sampler) => {
            let ctx = SpanContext { path: Some("/api/chat"), ..SpanContext::default() };
            let decision = sampler.decide(&ctx);
            assert!((0.0..=1.0).contains(&decision.rate));
            let policy = sampler.policy().expect("compiled from a policy");
            let written = policy.to_json().to_string();
            let again = Policy::from_json(&written).expect("a written policy parses");
            assert_eq!(&again, policy);
            let bytes = sampler.to_compiled();
            let loaded = Sampler::from_compiled(&bytes).expect("compiled bytes load");
            assert_eq!(loaded.decide(&ctx), decision);
            assert_eq!(loaded.to_compiled(), bytes);
        }
        Err(e) => assert!(!e.problems().is_empty() && !e.to_string().is_empty()),
    }
});
