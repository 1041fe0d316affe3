//! Workloads shared by the benchmark and the allocation test: the bundled traffic as
//! borrowed contexts, and a 100-rule policy.

use tracesieve::{SpanContext, Value};

/// One root of `examples/traffic.jsonl`, owning its strings.
pub struct Root {
    name: String,
    op: String,
    method: Option<String>,
    path: Option<String>,
    attributes: Vec<(String, String)>,
    parent: Option<(bool, f64)>,
}

/// The bundled traffic, cycled to `n` roots.
pub fn traffic(n: usize) -> Vec<Root> {
    let text = include_str!("../../examples/traffic.jsonl");
    let lines: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("valid traffic line")).collect();
    let s = |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
    lines
        .iter()
        .cycle()
        .take(n)
        .map(|v| Root {
            name: s(v, "name").unwrap_or_default(),
            op: s(v, "op").unwrap_or_default(),
            method: s(v, "method"),
            path: s(v, "path"),
            attributes: v["attributes"]
                .as_object()
                .map(|o| o.iter().map(|(k, x)| (k.clone(), x.as_str().unwrap_or("").to_string())).collect())
                .unwrap_or_default(),
            parent: v["parent"]
                .as_object()
                .map(|p| (p["sampled"].as_bool().unwrap_or(false), p["sampleRate"].as_f64().unwrap_or(0.0))),
        })
        .collect()
}

/// Attributes of a root as borrowed values.
pub fn attributes(root: &Root) -> Vec<(&str, Value<'_>)> {
    root.attributes.iter().map(|(k, v)| (k.as_str(), Value::str(v))).collect()
}

/// A root as a borrowed context.
pub fn context<'a>(root: &'a Root, attrs: &'a [(&'a str, Value<'a>)]) -> SpanContext<'a> {
    SpanContext {
        name: Some(&root.name),
        op: Some(&root.op),
        method: root.method.as_deref(),
        path: root.path.as_deref(),
        attributes: attrs,
        parent_sampled: root.parent.map(|p| p.0),
        parent_sample_rate: root.parent.map(|p| p.1),
        ..SpanContext::default()
    }
}

/// The bundled demo policy.
pub const SEED_POLICY: &str = include_str!("../../examples/policy.json");

/// A policy of 100 rules that most roots fall through (the worst case: every rule is
/// evaluated), mixing every matcher kind.
pub fn hundred_rule_policy() -> String {
    let rules: Vec<String> = (0..100)
        .map(|i| match i % 5 {
            0 => format!(r#"{{"when": {{"path": "/v{i}/*"}}, "rate": 0.5}}"#),
            1 => format!(r#"{{"when": {{"name": {{"prefix": "job-{i}", "ignoreCase": true}}}}, "rate": 0.1}}"#),
            2 => format!(r#"{{"when": {{"op": ["queue.{i}.*", "cron.{i}"], "method": "POST"}}, "rate": 0.3}}"#),
            3 => format!(r#"{{"when": {{"attributes": {{"tenant.{i}": {{"exists": true}}}}}}, "rate": 1}}"#),
            _ => format!(r#"{{"when": {{"any": [{{"path": "*/legacy{i}"}}, {{"not": {{"op": "*"}}}}]}}, "rate": 0}}"#),
        })
        .collect();
    format!(r#"{{"defaultRate": 0.2, "genAi": false, "rules": [{}]}}"#, rules.join(","))
}
