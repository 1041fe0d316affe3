//! tracesieve with the real `sentry` crate: every assertion is on the envelopes the SDK
//! sends through its test transport.

use std::sync::Arc;

use sentry::protocol::{Context as ProtoContext, EnvelopeItem};
use sentry::{ClientOptions, Envelope, TransactionContext};
use tracesieve::Sampler;
use tracesieve::sentry::{continue_from_headers, traces_sampler};

const POLICY: &str = r#"{
    "defaultRate": 0.2,
    "genAi": { "routes": ["/api/chat*"] },
    "rules": [
        { "id": "health", "when": { "path": "/health*" }, "rate": 0 },
        { "id": "payment", "when": { "path": "/payment*" }, "rate": 0.5 }
    ]
}"#;

/// Runs `f` with a client whose `traces_sampler` is tracesieve, and returns the
/// (name, op, trace id) of every transaction sent.
fn sent(sampler: &Arc<Sampler>, f: impl FnOnce()) -> Vec<(String, String, String)> {
    let options = ClientOptions::new().traces_sampler(traces_sampler(Arc::clone(sampler)));
    let envelopes: Vec<Envelope> = sentry::test::with_captured_envelopes_options(f, options);
    envelopes
        .iter()
        .flat_map(|e| e.items())
        .filter_map(|item| match item {
            EnvelopeItem::Transaction(tx) => {
                let Some(ProtoContext::Trace(trace)) = tx.contexts.get("trace") else { return None };
                let op = trace.op.clone().unwrap_or_default();
                Some((tx.name.clone().unwrap_or_default(), op, trace.trace_id.to_string()))
            }
            _ => None,
        })
        .collect()
}

fn sampler() -> Arc<Sampler> {
    Arc::new(Sampler::from_json(POLICY).expect("valid policy"))
}

#[test]
fn ai_runs_are_sent_and_health_checks_are_not() {
    let sampler = sampler();
    let sent = sent(&sampler, || {
        for _ in 0..50 {
            sentry::start_transaction(TransactionContext::new("invoke_agent triage", "gen_ai.invoke_agent")).finish();
            sentry::start_transaction(TransactionContext::new("GET /healthz", "http.server")).finish();
            let mut chat = TransactionContext::new("chat gpt-4o", "default");
            chat.custom_insert("gen_ai.request.model".into(), "gpt-4o".into());
            sentry::start_transaction(chat).finish();
            sentry::start_transaction(TransactionContext::new("POST /api/chat", "http.server")).finish();
        }
    });
    let count = |name: &str| sent.iter().filter(|(n, _, _)| n == name).count();
    assert_eq!(count("invoke_agent triage"), 50);
    assert_eq!(count("chat gpt-4o"), 50);
    assert_eq!(count("POST /api/chat"), 50);
    assert_eq!(count("GET /healthz"), 0);
    let stats = sampler.stats();
    assert_eq!(stats.traces.rule("genAi"), 150);
    assert_eq!(stats.traces.rule("health"), 50);
}

#[test]
fn a_half_rate_route_keeps_about_half_of_many_traces() {
    let sampler = sampler();
    let n = 4000;
    let sent = sent(&sampler, || {
        for _ in 0..n {
            sentry::start_transaction(TransactionContext::new("POST /payment/checkout", "http.server")).finish();
        }
    });
    // Binomial(n, 0.5): mean n/2, sigma sqrt(n)/2; hold a 4-sigma bound.
    let (mean, sigma) = (n as f64 / 2.0, (n as f64).sqrt() / 2.0);
    let kept = sent.len() as f64;
    assert!((kept - mean).abs() <= 4.0 * sigma, "kept {kept} of {n}, expected {mean} ± {}", 4.0 * sigma);
}

fn headers(trace_id: &str, flag: &str, baggage: &str) -> [(String, String); 2] {
    [("sentry-trace".into(), format!("{trace_id}-b2d8f6b2e2a5a3c1{flag}")), ("baggage".into(), baggage.into())]
}

fn continued(name: &str, h: &[(String, String); 2]) -> TransactionContext {
    continue_from_headers(name, "http.server", h.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[test]
fn a_known_sample_rand_decides_exactly_as_every_other_sdk() {
    let sampler = sampler();
    // 200 traces with sample_rand 0.0025, 0.0075, ...: a 0.5 route keeps exactly those below 0.5.
    let traces: Vec<(String, f64)> = (0..200u32)
        .map(|i| (format!("{:032x}", 0xabc0_0000_u64 + u64::from(i)), (f64::from(i) + 0.5) / 200.0))
        .collect();
    let sent = sent(&sampler, || {
        for (trace_id, rand) in &traces {
            let h = headers(trace_id, "", &format!("sentry-sample_rand={rand:.6},other=1"));
            sentry::start_transaction(continued("POST /payment/checkout", &h)).finish();
        }
    });
    let mut expected: Vec<&String> = traces.iter().filter(|(_, r)| *r < 0.5).map(|(t, _)| t).collect();
    let mut got: Vec<&String> = sent.iter().map(|(_, _, t)| t).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "the kept traces are exactly those with sample_rand < 0.5, and keep their trace ids");
}

#[test]
fn continued_traces_keep_the_parent_decision() {
    let sampler = sampler();
    let trace = "771a43a4192642f0b136d5159a501700";
    let sent = sent(&sampler, || {
        // Sampled upstream at 0.25 with sample_rand 0.1: kept here, though the default is 0.2.
        let kept = headers(trace, "-1", "sentry-sample_rate=0.25,sentry-sample_rand=0.1");
        sentry::start_transaction(continued("GET /orders", &kept)).finish();
        // Not sampled upstream: dropped, though a health-free route would get 0.2.
        let dropped =
            headers("871a43a4192642f0b136d5159a501700", "-0", "sentry-sample_rate=0.25,sentry-sample_rand=0.9");
        sentry::start_transaction(continued("GET /orders", &dropped)).finish();
        // An AI route overrides an unsampled parent.
        let ai = headers("971a43a4192642f0b136d5159a501700", "-0", "sentry-sample_rate=0.25,sentry-sample_rand=0.9");
        sentry::start_transaction(continued("POST /api/chat", &ai)).finish();
    });
    let names: Vec<(&str, &str)> = sent.iter().map(|(n, _, t)| (n.as_str(), t.as_str())).collect();
    assert_eq!(names, [("GET /orders", trace), ("POST /api/chat", "971a43a4192642f0b136d5159a501700")]);
    assert_eq!(sampler.stats().traces.reason(tracesieve::Reason::Parent), 2);
}

#[test]
fn a_policy_error_surfaces_at_construction() {
    let err =
        Sampler::from_json(r#"{"defaultRate": 0.2, "rules": [{"when": {"pathh": "/x"}, "rate": 2}]}"#).unwrap_err();
    let message = err.to_string();
    assert!(message.contains(r#"rules[0].when: unknown field "pathh" (expected one of name, op, origin"#), "{message}");
    assert!(message.contains("rules[0].rate: expected a number in [0, 1], found 2"), "{message}");
}
