//! Compiled policies: a sampler through its bytes is the same sampler, and bytes of any
//! other origin (damaged, truncated, of another version, or well sealed but made up) are
//! refused with an error, never a panic. (The conformance vectors also run every case
//! through the compiled bytes: `tests/rust/vectors.rs`.)

use proptest::prelude::*;
use tracesieve::compiled::{Reader, Writer};
use tracesieve::sdk::{Js, ReadPlan};
use tracesieve::{Sampler, SpanContext, Value};

/// Every kind of condition and matcher the compiled form holds.
const RICH: &str = r#"{
    "defaultRate": 0.25, "parent": "ignore",
    "genAi": {"rate": 0.9, "overrideParent": false, "routes": ["/api/chat*", "/v?/agent/*/run"]},
    "rules": [
        {"id": "health", "when": {"path": ["/health*", "/ready"], "method": "GET"}, "rate": 0},
        {"when": {"name": {"glob": ["*Checkout*"], "ignoreCase": true}}, "rate": 1, "overrideParent": true},
        {"when": {"op": {"prefix": ["http."], "suffix": [".server"], "contains": ["tt"]}}, "rate": 0.5},
        {"when": {"origin": {"prefix": ["Auto"], "ignoreCase": true}, "parentSampled": true}, "rate": 0.4},
        {"when": {"attributes": {"http.status": {"gte": 500, "lt": 600}, "retry": {"gt": 1, "lte": 3}}}, "rate": 1},
        {"when": {"custom": {"user.tier": {"eq": ["pro", 3, true], "ignoreCase": true}, "flag": true, "n": 7}}, "rate": 1},
        {"when": {"any": [{"genAi": true}, {"not": {"attributes": {"x": {"exists": false}}}}],
                  "all": [{"name": "*"}, {"name": "exact"}, {"name": "*mid*"}, {"name": "*end"}]}, "rate": 0.1}
    ],
    "errors": {"defaultRate": 0.5, "rules": [
        {"id": "ignored", "when": {"exception": "MyIgnoredError", "tags": {"env": "dev"}}, "rate": 0},
        {"when": {"level": "warning", "logger": "app.*", "message": {"contains": ["timeout"]}}, "rate": 0.2}
    ]}
}"#;

fn rich() -> Sampler {
    Sampler::from_json(RICH).unwrap()
}

#[test]
fn bytes_read_back_to_the_same_sampler() {
    let sampler = rich();
    let bytes = sampler.to_compiled();
    let loaded = Sampler::from_compiled(&bytes).unwrap();
    // Written again, the loaded sampler gives the same bytes: nothing was lost or changed.
    assert_eq!(loaded.to_compiled(), bytes);
    assert_eq!(loaded.requirements(), sampler.requirements());
    assert_eq!(loaded.default_rate(), 0.25);
    assert!(loaded.policy().is_none() && sampler.policy().is_some());
    let attrs = [("http.status", Value::Num(503.0)), ("retry", Value::Num(2.0))];
    let contexts = [
        SpanContext { path: Some("/healthz"), method: Some("GET"), ..Default::default() },
        SpanContext { name: Some("POST /api/checkout"), ..Default::default() },
        SpanContext { op: Some("http.server"), ..Default::default() },
        SpanContext { attributes: &attrs, ..Default::default() },
        SpanContext { path: Some("/v1/agent/x/run"), ..Default::default() },
        SpanContext { name: Some("exact"), ..Default::default() },
        SpanContext::default(),
    ];
    for ctx in &contexts {
        assert_eq!(loaded.decide(ctx), sampler.decide(ctx), "{ctx:?}");
        assert_eq!(loaded.explain(ctx), sampler.explain(ctx), "{ctx:?}");
    }
    assert_eq!(loaded.stats(), sampler.stats());
}

#[test]
fn plans_read_back() {
    let sampler = rich();
    let plan = ReadPlan::record(sampler.requirements(), Js::new);
    let mut w = Writer::new();
    plan.encode(&mut w);
    let bytes = w.finish();
    let mut r = Reader::open(&bytes).unwrap();
    let read = ReadPlan::decode(&mut r);
    r.finish(read.is_some()).unwrap();
    assert_eq!(read.unwrap(), plan);
}

#[test]
fn other_bytes_are_refused_with_a_clear_error() {
    let bytes = rich().to_compiled();
    let message = |b: &[u8]| Sampler::from_compiled(b).unwrap_err().to_string();
    assert_eq!(
        message(b"{\"defaultRate\": 1}"),
        "invalid tracesieve policy: policy: is not a compiled tracesieve policy"
    );
    let damaged = message(&[&bytes[..bytes.len() - 1], &[bytes[bytes.len() - 1] ^ 1]].concat());
    assert!(damaged.contains("is damaged"), "{damaged}");
    assert!(message(&bytes[..bytes.len() - 3]).contains("is damaged"));
    assert!(message(&[bytes.as_slice(), &[0]].concat()).contains("is damaged"));
    let version = tracesieve::VERSION;
    let other = [&bytes[..4], &[5], b"0.0.1", &bytes[5 + version.len()..]].concat();
    assert_eq!(
        message(&other),
        format!(
            "invalid tracesieve policy: policy: was compiled by tracesieve 0.0.1, and this is {version}: compile the policy again with this version"
        )
    );
}

#[test]
fn conditions_nested_too_deep_are_refused() {
    // A `not` nested far deeper than a policy may: refused before the stack runs out.
    let mut w = Writer::new();
    w.f64(0.5);
    w.bool(true);
    w.usize(1);
    w.str("deep");
    w.usize(1);
    for _ in 0..100_000 {
        w.u8(8);
    }
    let bytes = w.finish();
    assert!(Sampler::from_compiled(&bytes).is_err());
}

fn sealed(payload: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    payload.iter().for_each(|b| w.u8(*b));
    w.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Made-up payloads under a valid header: refused or loaded, never a panic; a loaded
    /// one decides a rate in [0, 1].
    #[test]
    fn sealed_made_up_payloads_never_panic(payload in prop::collection::vec(prop_oneof![0u8..12, any::<u8>()], 0..300)) {
        if let Ok(s) = Sampler::from_compiled(&sealed(&payload)) {
            let d = s.decide(&SpanContext { path: Some("/x"), ..Default::default() });
            prop_assert!((0.0..=1.0).contains(&d.rate));
            let _ = s.stats();
        }
    }

    /// A real compiled policy with one byte of its payload changed, then sealed again (so
    /// the checksum passes): refused or loaded, never a panic.
    #[test]
    fn sealed_mutations_never_panic(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let bytes = rich().to_compiled();
        let header = 4 + 1 + tracesieve::VERSION.len() + 8;
        let mut payload = bytes[header..].to_vec();
        let i = at.index(payload.len());
        payload[i] = byte;
        if let Ok(s) = Sampler::from_compiled(&sealed(&payload)) {
            let d = s.decide(&SpanContext { name: Some("exact"), ..Default::default() });
            prop_assert!((0.0..=1.0).contains(&d.rate));
        }
        let resealed = sealed(&payload);
        let mut r = Reader::open(&resealed).unwrap();
        let _ = ReadPlan::decode(&mut r);
    }

    /// Arbitrary bytes: an error, never a panic.
    #[test]
    fn arbitrary_bytes_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        prop_assert!(Sampler::from_compiled(&bytes).is_err());
    }
}
