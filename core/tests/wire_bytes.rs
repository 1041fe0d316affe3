//! Snapshots over arbitrary bytes: whatever a binding (or an attacker) writes where the
//! wire format is expected, deciding never panics, gives a rate in [0, 1], and explains the
//! same decision. The plans cover scans, index nodes (`[-1]`) and fallback sources.

use proptest::prelude::*;
use tracesieve::sdk::{Js, JsEvent, ReadPlan, Snapshot};
use tracesieve::{Context, Sampler};

const POLICIES: &[&str] = &[
    r#"{"defaultRate": 0.2, "genAi": false, "rules": [
        {"when": {"attributes": {"gen_ai.operation.name": {"exists": true}}}, "rate": 1, "overrideParent": true},
        {"when": {"name": {"contains": ["/api/chat", "/api/agent"]}}, "rate": 1, "overrideParent": true}]}"#,
    r#"{"defaultRate": 0.2, "genAi": {"routes": ["/api/chat*"]}, "rules": [
        {"when": {"path": ["/health*", "/ready*"]}, "rate": 0},
        {"when": {"path": "/search*", "method": "GET"}, "rate": 0.01},
        {"when": {"custom": {"user.tier": "pro"}}, "rate": 1}],
        "errors": {"rules": [{"when": {"exception": "MyIgnoredException", "tags": {"env": "dev"}}, "rate": 0}]}}"#,
];

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        // Mostly small values: real tags, lengths and offsets, more often.
        prop::collection::vec(prop_oneof![0u8..10, Just(0x80), Just(0xff)], 0..400),
    ]
}

fn check(sampler: &Sampler, ctx: &impl Context, error: bool) {
    let (decision, explained) = if error {
        (sampler.decide_error(ctx), sampler.explain_error(ctx).decision)
    } else {
        (sampler.decide(ctx), sampler.explain(ctx).decision)
    };
    assert!((0.0..=1.0).contains(&decision.rate), "{decision:?}");
    assert_eq!(decision, explained);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn deciding_over_any_bytes_gives_a_rate(which in 0..POLICIES.len(), bytes in bytes()) {
        let sampler = Sampler::from_json(POLICIES[which]).unwrap();
        let trace = ReadPlan::record(sampler.requirements(), Js::new);
        let error = ReadPlan::record(sampler.requirements(), JsEvent::new);
        let fetch = |node: usize| (node % 2 == 0).then(|| "/api/chat".to_string());
        for (plan, is_error) in [(&trace, false), (&error, true)] {
            // As written, and with a head long enough to be read at all.
            let mut padded = bytes.clone();
            padded.resize(bytes.len().max(plan.head_len() + 32), 0);
            for wire in [&bytes, &padded] {
                let snap = Snapshot::decode_lazy(plan, wire, Some(&fetch));
                if is_error {
                    check(&sampler, &JsEvent::new(snap.root()), true);
                } else {
                    check(&sampler, &Js::new(snap.root()), false);
                }
            }
        }
    }
}
