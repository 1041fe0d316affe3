//! `sentry-trace` and `baggage` parsing on arbitrary text: never a panic, and whatever is
//! read is valid (ids are hex of the right length, rates and sample_rand in range).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tracesieve::propagation::{IncomingTrace, backfill_sample_rand, parse_baggage, parse_sentry_trace};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (trace, baggage) = text.split_once('\n').unwrap_or((text, text));
    if let Some(t) = parse_sentry_trace(trace) {
        assert!(t.trace_id.is_none_or(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())));
        assert!(t.span_id.is_none_or(|id| id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())));
    }
    let b = parse_baggage(baggage);
    assert!(b.sample_rand.is_none_or(|r| (0.0..1.0).contains(&r)));
    assert!(b.sample_rate.is_none_or(|r| (0.0..=1.0).contains(&r)));
    let incoming = IncomingTrace::from_headers(Some(trace), Some(baggage));
    let uniform = f64::from(data.len() as u32 % 1000) / 1000.0;
    let rand = incoming.sample_rand_or_backfill(uniform);
    assert!((0.0..1.0).contains(&rand), "{rand}");
    // A backfilled sample_rand reproduces the upstream decision at the upstream rate.
    if let (Some(sampled), Some(rate), None) =
        (incoming.parent_sampled, incoming.parent_sample_rate, incoming.sample_rand)
    {
        let r = backfill_sample_rand(Some(sampled), Some(rate), uniform);
        if (sampled && rate > 0.0) || (!sampled && rate < 1.0) {
            assert_eq!(r < rate, sampled, "rand {r} rate {rate}");
        }
    }
});
