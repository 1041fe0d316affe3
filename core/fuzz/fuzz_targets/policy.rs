//! Policy parsing and compilation from arbitrary bytes: never a panic; a compiled policy
//! decides a finite rate in [0, 1], and what it writes out parses to the same policy.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracesieve::{Policy, Sampler, SpanContext};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Sampler::from_json(text) {
        Ok(sampler) => {
            let rate = sampler.decide(&SpanContext { path: Some("/api/chat"), ..SpanContext::default() }).rate;
            assert!((0.0..=1.0).contains(&rate));
            let written = sampler.policy().to_json().to_string();
            let again = Policy::from_json(&written).expect("a written policy parses");
            assert_eq!(&again, sampler.policy());
        }
        Err(e) => assert!(!e.problems().is_empty() && !e.to_string().is_empty()),
    }
});
