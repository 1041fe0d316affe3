//! The files the crate packages from the repository (core/ links to them, `cargo package`
//! copies them): `POLICY_SCHEMA`, the policy reference, the licenses.

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

/// core/policy.md, core/policy.schema.json and the licenses are links into the repository, so
/// that the crate has one source for each: a copy that replaced a link would drift.
#[test]
fn the_packaged_files_are_the_repository_files() {
    let core = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = core.parent().expect("core/ is in the repository");
    for (packaged, source) in [
        ("policy.md", "docs/policy.md"),
        ("policy.schema.json", "docs/policy.schema.json"),
        ("LICENSE-MIT", "LICENSE-MIT"),
        ("LICENSE-APACHE", "LICENSE-APACHE"),
    ] {
        let (packaged, source) = (core.join(packaged), repo.join(source));
        if !source.exists() {
            continue; // the unpacked crate, outside the repository
        }
        let same = std::fs::read(&packaged).expect("packaged file") == std::fs::read(&source).expect("source");
        assert!(same, "{} differs from {}", packaged.display(), source.display());
        let link = std::fs::symlink_metadata(&packaged).expect("packaged file").file_type().is_symlink();
        assert!(link, "{} should be a link to {}", packaged.display(), source.display());
    }
}
