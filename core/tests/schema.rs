//! `POLICY_SCHEMA` is the schema file, and a policy that names it in `"$schema"` decides
//! as it would without it.

use tracesieve::json::{self, Value};
use tracesieve::{POLICY_SCHEMA, Reason, Sampler, SpanContext};

#[test]
fn the_schema_is_json_with_its_id() {
    let (schema, repeated) = json::parse_strict(POLICY_SCHEMA).expect("the schema is JSON");
    assert!(repeated.is_empty(), "repeated keys in the schema: {repeated:?}");
    let Some(Value::String(draft)) = schema.as_object().and_then(|o| o.get("$schema")) else {
        panic!("no $schema in the schema")
    };
    assert_eq!(draft, "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn a_policy_may_name_its_schema() {
    let text = r#"{ "$schema": "https://raw.githubusercontent.com/tracesieve/tracesieve/main/docs/policy.schema.json",
                    "defaultRate": 0.3 }"#;
    let sampler = Sampler::from_json(text).expect("\"$schema\" is accepted");
    let decision = sampler.decide(&SpanContext { path: Some("/x"), ..Default::default() });
    assert_eq!((decision.rate, decision.reason), (0.3, Reason::Default));
}
