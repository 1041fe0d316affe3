//! Recording real roots with the `sentry` crate: `traces_sampler_recording` under the real
//! SDK (its test transport) writes one traffic line per root; `tracesieve simulate` on the
//! file keeps exactly the transactions the SDK sent. The rate and the size bound hold, and
//! custom data the policy does not read never reaches a line.

use std::process::Command;
use std::sync::{Arc, Mutex};

use sentry::protocol::EnvelopeItem;
use sentry::{ClientOptions, Envelope};
use tracesieve::Sampler;
use tracesieve::sentry::{Recorder, continue_from_headers, traces_sampler_recording};

const POLICY: &str = r#"{"defaultRate": 0.2, "genAi": {"routes": ["/api/chat*"]}, "rules": [
    {"id": "health", "when": {"path": "/health*"}, "rate": 0},
    {"id": "payment", "when": {"path": "/payment*"}, "rate": 0.5}]}"#;
const PATHS: [&str; 5] = ["/api/orders/7", "/healthz", "/payment/checkout", "/api/chat", "/search"];
const SECRET: &str = "alice@example.com";

fn start(i: u32) {
    let trace_id = format!("{:032x}", 0xabc0_0000_u64 + u64::from(i));
    let rand = (f64::from(i) * 0.618_033_988_7).fract();
    let path = PATHS[i as usize % PATHS.len()];
    let headers = [
        ("sentry-trace", format!("{trace_id}-b2d8f6b2e2a5a3c1")),
        ("baggage", format!("sentry-trace_id={trace_id},sentry-sample_rand={rand:.6}")),
    ];
    let mut ctx =
        continue_from_headers(&format!("GET {path}"), "http.server", headers.iter().map(|(k, v)| (*k, v.as_str())));
    ctx.custom_insert("url.path".into(), path.into());
    ctx.custom_insert("user.email".into(), SECRET.into());
    ctx.custom_insert("tier".into(), "pro".into());
    sentry::start_transaction(ctx).finish();
}

fn simulate(dir: &std::path::Path, traffic: &std::path::Path) -> serde_json::Value {
    let policy = dir.join("policy.json");
    std::fs::write(&policy, POLICY).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tracesieve"))
        .args(["simulate", "--format", "json"])
        .arg(&policy)
        .arg(traffic)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tracesieve-record-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn roots_recorded_under_the_sentry_crate_simulate_keeps_what_the_sdk_sent() {
    let dir = temp_dir("sdk");
    let file = dir.join("roots.jsonl");
    let sampler = Sampler::from_json(POLICY).unwrap();
    let recorder = Recorder::to_file(&file, 1 << 30).unwrap().keys(&[], &["tier"]);
    let options = ClientOptions::new().traces_sampler(traces_sampler_recording(sampler, recorder));
    let n = 1000;
    let envelopes: Vec<Envelope> = sentry::test::with_captured_envelopes_options(|| (0..n).for_each(start), options);
    let sent = envelopes.iter().flat_map(|e| e.items()).filter(|i| matches!(i, EnvelopeItem::Transaction(_))).count();
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), n as usize, "one line per root");
    assert!(!text.contains(SECRET) && !text.contains("user.email"), "nothing the policy does not read");
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["path"], "/api/orders/7");
    assert_eq!(first["custom"]["tier"], "pro", "a key the user lists is recorded");
    let report = simulate(&dir, &file);
    assert_eq!(report["roots"], n);
    assert_eq!(report["kept"], sent as u64, "simulate keeps what the SDK sent");
    assert!(sent > 0 && sent < n as usize);
}

#[test]
fn the_rate_and_the_size_bound_hold() {
    let dir = temp_dir("bounds");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let recorder = Recorder::new(move |l: &str| sink.lock().unwrap().push(l.to_string())).rate(0.25);
    let sample = traces_sampler_recording(Sampler::from_json(POLICY).unwrap(), recorder);
    for i in 0..400 {
        sample(&sentry::TransactionContext::new(&format!("GET /x/{i}"), "http.server"));
    }
    assert_eq!(lines.lock().unwrap().len(), 100);

    let file = dir.join("bounded.jsonl");
    let sample = traces_sampler_recording(Sampler::from_json(POLICY).unwrap(), Recorder::to_file(&file, 2000).unwrap());
    for i in 0..400 {
        sample(&sentry::TransactionContext::new(&format!("GET /x/{i}"), "http.server"));
    }
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size > 1000 && size <= 2000, "{size} bytes");
    assert_eq!(
        simulate(&dir, &file)["roots"].as_u64().unwrap(),
        std::fs::read_to_string(&file).unwrap().lines().count() as u64
    );
}
