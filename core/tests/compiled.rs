//! Compiled policies: a sampler through its bytes is the same sampler, and bytes of any
//! other origin (damaged, truncated, of another version or format, or well sealed but made up) are
//! refused with an error, never a panic. (The conformance vectors also run every case
//! through the compiled bytes: `tests/rust/vectors.rs`.)

use proptest::prelude::*;
use tracesieve::compiled::{ByteReader, ByteWriter};
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
    let mut w = ByteWriter::new();
    plan.encode(&mut w);
    let bytes = w.finish();
    let mut r = ByteReader::open(&bytes).unwrap();
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
    // Format 1 (before the requirements were written in): named, not called damaged.
    let format_1 = [b"TSV\x01", &bytes[4..]].concat();
    assert_eq!(
        message(&format_1),
        "invalid tracesieve policy: policy: is in compiled-policy format 1, and this tracesieve reads format 2: \
         compile the policy again with this version"
    );
    assert_eq!(&bytes[..4], b"TSV\x02");
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
    let mut w = ByteWriter::new();
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

/// A rule's `when` nesting `depth` levels: `not`, `any` and `all` in turn, each level with a
/// key of its own (so that every level compiles to two).
fn nested(depth: usize) -> String {
    let mut when = String::from(r#"{"path": "/leaf"}"#);
    for level in 1..depth {
        when = match level % 3 {
            0 => format!(r#"{{"path": "/l{level}", "not": {when}}}"#),
            1 => format!(r#"{{"name": "n{level}", "any": [{when}, {{"op": "x"}}]}}"#),
            _ => format!(r#"{{"method": "GET", "all": [{when}]}}"#),
        };
    }
    format!(r#"{{"defaultRate": 0.5, "rules": [{{"id": "deep", "when": {when}, "rate": 1}}]}}"#)
}

#[test]
fn the_deepest_valid_policies_load() {
    assert!(Sampler::from_json(&nested(tracesieve::MAX_DEPTH + 1)).is_err(), "deeper than a policy may nest");
    let deepest = Sampler::from_json(&nested(tracesieve::MAX_DEPTH)).unwrap();
    let loaded = Sampler::from_compiled(&deepest.to_compiled()).unwrap();
    let ctx = SpanContext { path: Some("/leaf"), ..Default::default() };
    assert_eq!(loaded.decide(&ctx), deepest.decide(&ctx));
    // A custom path of the most keys a policy may have: its read plan is the deepest.
    let keys = vec!["k"; tracesieve::MAX_DEPTH].join(".");
    let text = format!(r#"{{"defaultRate": 0.5, "rules": [{{"when": {{"custom": {{"{keys}": 1}}}}, "rate": 0}}]}}"#);
    let sampler = Sampler::from_json(&text).unwrap();
    let plan = ReadPlan::record(sampler.requirements(), Js::new);
    let mut w = ByteWriter::new();
    plan.encode(&mut w);
    let bytes = w.finish();
    let mut r = ByteReader::open(&bytes).unwrap();
    assert_eq!(ReadPlan::decode(&mut r), Some(plan));
    let longer =
        format!(r#"{{"defaultRate": 0.5, "rules": [{{"when": {{"custom": {{"{keys}.k": 1}}}}, "rate": 0}}]}}"#);
    assert!(Sampler::from_json(&longer).unwrap_err().to_string().contains("a path of 33 keys (at most 32)"));
}

#[test]
fn plans_deeper_than_any_adapter_reads_are_refused() {
    let chain = |depth: usize| {
        let mut w = ByteWriter::new();
        w.usize(depth);
        for i in 0..depth {
            w.str("k");
            w.usize(i.saturating_sub(1));
            w.usize(depth);
            w.usize(0);
            w.bool(true);
        }
        w.finish()
    };
    for (depth, loads) in [(10, true), (100, false), (200_000, false)] {
        let bytes = chain(depth);
        let mut r = ByteReader::open(&bytes).unwrap();
        assert_eq!(ReadPlan::decode(&mut r).is_some(), loads, "a chain of {depth}");
    }
}

#[test]
fn rules_decide_only_with_the_reasons_of_their_kind() {
    // A sampler with one error rule (`parentSampled: true`), decided with reason `why`.
    let with_reason = |why: u8| {
        let mut w = ByteWriter::new();
        w.f64(0.5);
        w.bool(true);
        for _ in 0..3 {
            w.usize(0); // no trace ids, overrides or rules
        }
        w.f64(1.0);
        w.usize(1);
        w.str("e");
        w.usize(1);
        w.u8(1); // ParentSampled
        w.bool(true);
        w.f64(0.5);
        w.usize(0);
        w.u8(why);
        for _ in 0..4 {
            w.usize(0); // requirements: no fields, attributes, custom paths or tags
        }
        w.bool(false); // no attribute prefixes
        w.bool(true); // the parent decision
        w.finish()
    };
    let [forced, gen_ai, rule, parent, default] =
        [0, 1, 2, 3, 4].map(|why| Sampler::from_compiled(&with_reason(why)).is_ok());
    assert_eq!((forced, gen_ai, rule, parent, default), (false, false, true, false, false));
}

#[test]
fn requirements_keep_each_key_once_in_first_use_order() {
    let sampler = Sampler::from_json(
        r#"{"defaultRate": 1, "genAi": false, "rules": [
            {"when": {"attributes": {"b": 1}}, "rate": 0},
            {"when": {"attributes": {"a": 2, "c": 1}, "custom": {"x": 1}}, "rate": 0},
            {"when": {"any": [{"attributes": {"b": 3}}, {"custom": {"x": 2, "w": 1}}]}, "rate": 0}]}"#,
    )
    .unwrap();
    let req = sampler.requirements();
    assert_eq!(req.attributes, ["b", "a", "c"]);
    assert_eq!(req.custom, ["x", "w"]);
}

fn sealed(payload: &[u8]) -> Vec<u8> {
    let mut w = ByteWriter::new();
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
        let mut r = ByteReader::open(&resealed).unwrap();
        let _ = ReadPlan::decode(&mut r);
    }

    /// Arbitrary bytes: an error, never a panic.
    #[test]
    fn arbitrary_bytes_are_refused(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        prop_assert!(Sampler::from_compiled(&bytes).is_err());
    }
}
