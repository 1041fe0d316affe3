//! The JavaScript error-event vectors (`tests/js/vectors/*.json`, `"sdk": "js"`, `"kind":
//! "error"`) against the core directly: its `JsEvent` adapter over JSON, as the Rust
//! conformance runner does. The npm package runs them again on both backends, through read
//! plans and wire bytes (`tests/js/vectors.test.mjs`).

use serde_json::Value as Json;
use tracesieve::sdk::JsEvent;
use tracesieve::{Sampler, WithSampleRand};

#[test]
fn js_error_vectors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/js/vectors");
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/js/vectors exists") {
        let path = entry.expect("entry").path();
        let doc: Json = serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
        for case in doc["cases"].as_array().expect("cases") {
            let name = case["name"].as_str().unwrap_or("?");
            let policy = doc["policies"][case["policyRef"].as_str().expect("policyRef")].to_string();
            let sampler = Sampler::from_json(&policy).expect("valid policy");
            let rand = case.get("sampleRand").and_then(Json::as_f64);
            let d = sampler.decide_error(&WithSampleRand::new(&JsEvent::new(&case["context"]), rand));
            let want = &case["expect"];
            assert_eq!(d.rate, want["rate"].as_f64().expect("rate"), "{name}");
            assert_eq!(d.reason.as_str(), want["reason"].as_str().expect("reason"), "{name}");
            assert_eq!(d.rule_id, want["ruleId"].as_str(), "{name}");
            if let Some(sampled) = want.get("sampled").and_then(Json::as_bool) {
                assert_eq!(d.sampled, Some(sampled), "{name}");
            }
            cases += 1;
        }
    }
    assert!(cases >= 20, "{cases} cases");
}
