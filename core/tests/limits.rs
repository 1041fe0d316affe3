//! Limits that keep a hostile or broken policy from hurting the host: clear errors, no
//! crash, no stack overflow.

use tracesieve::{MAX_POLICY_BYTES, MAX_RULES, Sampler};

fn error(text: &str) -> String {
    Sampler::from_json(text).expect_err("the policy must be rejected").to_string()
}

#[test]
fn policy_text_over_one_mebibyte() {
    let text = format!(r#"{{"defaultRate": 0.1, "rules": [], "x": "{}"}}"#, "a".repeat(MAX_POLICY_BYTES));
    assert!(error(&text).contains("policy: policy text is"), "{}", error(&text));
}

#[test]
fn more_than_ten_thousand_rules() {
    let rule = r#"{"when": {"path": "/x"}, "rate": 0}"#;
    let rules = vec![rule; MAX_RULES + 1].join(",");
    let text = format!(r#"{{"defaultRate": 0.1, "rules": [{rules}]}}"#);
    assert!(error(&text).contains("rules: 10001 rules (at most 10000)"), "{}", error(&text));
    let ok = format!(r#"{{"defaultRate": 0.1, "rules": [{}]}}"#, vec![rule; MAX_RULES].join(","));
    assert!(Sampler::from_json(&ok).is_ok());
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let text = format!(
        r#"{{"defaultRate": 0.1, "rules": [{{"when": {}"path": "/x"{}, "rate": 1}}]}}"#,
        r#"{"not": "#.repeat(depth) + "{",
        "}".repeat(depth + 1)
    );
    assert!(error(&text).contains("policy: invalid JSON"), "{}", error(&text));
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(error(&arrays).contains("policy: invalid JSON"));
}

#[test]
fn every_problem_is_reported() {
    let text = r#"{"defaultRate": 2, "parent": "always", "rules": [{"when": {"pathh": "/x"}, "rate": -1}, {"id": "a", "when": {}, "rate": 1}]}"#;
    let err = Sampler::from_json(text).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["defaultRate", "parent", "rules[0].when", "rules[0].rate", "rules[1].when"], "{err}");
}

#[test]
fn problems_follow_the_document() {
    // In the order the document has them (not the format's), the validator's problems
    // (the empty condition, the rate out of range) among the parser's; an object's own
    // problems (an unknown key) before those inside it.
    let text = r#"{"rules": [{"rate": 0.5, "when": {"pathh": 1}, "idd": 1}, {"when": {}, "rate": "x"}],
        "parent": 3, "defaultRate": -1}"#;
    let err = Sampler::from_json(text).unwrap_err();
    let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
    let want = ["rules[0]", "rules[0].when", "rules[1].when", "rules[1].rate", "parent", "defaultRate"];
    assert_eq!(paths, want, "{err}");
}

/// A context whose reads fail after giving a misleading answer.
struct Broken;

impl tracesieve::Context for Broken {
    fn field(&self, _: tracesieve::Field) -> Option<tracesieve::Value<'_>> {
        Some(tracesieve::Value::str("/payment"))
    }
    fn parent_sampled(&self) -> Option<bool> {
        Some(false)
    }
    fn read_failed(&self) -> bool {
        true
    }
}

#[test]
fn a_failed_read_falls_back_to_the_parent_and_is_counted() {
    let sampler = Sampler::from_json(
        r#"{"defaultRate": 0.3, "rules": [{"when": {"path": "/payment"}, "rate": 0.9, "overrideParent": true}]}"#,
    )
    .unwrap();
    let d = sampler.decide(&Broken);
    assert_eq!((d.rate, d.reason), (0.0, tracesieve::Reason::Parent));
    // Found by the `decide` fuzz target: explain must give what decide gives.
    assert_eq!(sampler.explain(&Broken).decision, d);
    assert_eq!(sampler.explain_error(&Broken).decision.rate, 1.0);
    let e = sampler.decide_error(&Broken);
    assert_eq!((e.rate, e.reason), (1.0, tracesieve::Reason::Default));
    let stats = sampler.stats();
    assert_eq!((stats.fallbacks, stats.traces.total, stats.errors.total), (2, 1, 1));
    assert_eq!(stats.traces.by_rule, [("genAi".to_string(), 0), ("rules[0]".to_string(), 0)]);
}
