//! Compiled-policy bytes from arbitrary input, raw and sealed under a valid header (so that
//! the checksum passes and every value is read): refused or loaded, never a panic; a loaded
//! sampler decides a rate in [0, 1] and writes bytes that load again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracesieve::compiled::ByteWriter;
use tracesieve::{Sampler, SpanContext};

fuzz_target!(|data: &[u8]| {
    let Some((first, payload)) = data.split_first() else { return };
    let bytes = if first & 1 == 0 {
        data.to_vec()
    } else {
        let mut w = ByteWriter::new();
        payload.iter().for_each(|b| w.u8(*b));
        w.finish()
    };
    if let Ok(sampler) = Sampler::from_compiled(&bytes) {
        let ctx = SpanContext { path: Some("/api/chat"), name: Some("POST /api/chat"), ..SpanContext::default() };
        assert!((0.0..=1.0).contains(&sampler.decide(&ctx).rate));
        let _ = (sampler.explain(&ctx), sampler.stats());
        assert!(Sampler::from_compiled(&sampler.to_compiled()).is_ok());
    }
});
