//! Every key of the policy format, one table per policy object: the parser reports
//! unknown keys against them, the validator names a condition kind's keys from them, and
//! a test checks that `docs/policy.md` names each of them. Adding a key starts here.

/// The keys of the policy object. `$schema` names the JSON Schema (docs/policy.schema.json)
/// for editors; its value is ignored.
pub(crate) const TOP: &[&str] = &["version", "defaultRate", "parent", "genAi", "rules", "errors", "$schema"];
/// The keys of a trace rule (`rules[i]`).
pub(crate) const RULE: &[&str] = &["id", "when", "rate", "overrideParent", "description"];
/// The keys of an error rule (`errors.rules[i]`).
pub(crate) const ERROR_RULE: &[&str] = &["id", "when", "rate", "description"];
/// The keys of the built-in AI rule (`genAi`).
pub(crate) const GEN_AI: &[&str] = &["rate", "overrideParent", "routes", "description"];
/// The keys of the error policy (`errors`).
pub(crate) const ERRORS: &[&str] = &["defaultRate", "rules"];
/// The keys of a trace rule's condition (`rules[i].when`), in the order messages list them.
pub(crate) const TRACE_CONDITION: &[&str] =
    &["name", "op", "origin", "method", "path", "parentSampled", "attributes", "custom", "genAi", "any", "all", "not"];
/// The keys of an error rule's condition (`errors.rules[i].when`).
pub(crate) const ERROR_CONDITION: &[&str] =
    &["exception", "level", "logger", "message", "tags", "custom", "any", "all", "not"];
/// The keys of an operator object (`{"prefix": "/api", "ignoreCase": true}`).
pub(crate) const OPERATORS: &[&str] =
    &["eq", "glob", "prefix", "suffix", "contains", "route", "gt", "gte", "lt", "lte", "exists", "ignoreCase"];

/// Every table, with the object it describes.
#[cfg(test)]
pub(crate) const TABLES: &[(&str, &[&str])] = &[
    ("policy", TOP),
    ("rule", RULE),
    ("error rule", ERROR_RULE),
    ("genAi", GEN_AI),
    ("errors", ERRORS),
    ("trace condition", TRACE_CONDITION),
    ("error condition", ERROR_CONDITION),
    ("operators", OPERATORS),
];

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn docs_policy_md_names_every_key() {
        let docs = include_str!("../../../docs/policy.md");
        for (object, table) in TABLES {
            for key in *table {
                let named = [alloc::format!("`{key}`"), alloc::format!("`{key}:"), alloc::format!("\"{key}\"")]
                    .iter()
                    .any(|form| docs.contains(form.as_str()));
                assert!(named, "docs/policy.md does not name the {object} key `{key}`");
            }
        }
    }

    /// The keys the serializer writes, for a policy that uses every key: all in the tables
    /// (the keys under `attributes`, `custom` and `tags` are the user's).
    #[test]
    fn the_serializer_writes_only_table_keys() {
        use crate::text::json::Value as Json;
        let text = r#"{"version": 1, "defaultRate": 0.5, "parent": "inherit",
            "genAi": {"rate": 1, "overrideParent": true, "routes": ["/chat*"], "description": "d"},
            "rules": [{"id": "a", "rate": 0.5, "overrideParent": false, "description": "r", "when": {
                "name": "x", "op": {"prefix": "a", "ignoreCase": true}, "origin": {"suffix": "o"},
                "method": {"eq": "GET"}, "path": {"route": "/u/:id"}, "parentSampled": true,
                "attributes": {"k": {"gte": 1, "lte": 2}}, "custom": {"c": {"exists": true}}, "genAi": true,
                "any": [{"op": {"glob": "a*"}}], "all": [{"op": {"contains": "c"}}], "not": {"name": {"gt": 0, "lt": 3}}}}],
            "errors": {"defaultRate": 1, "rules": [{"id": "e", "rate": 0, "description": "x", "when": {
                "exception": "E", "level": "error", "logger": "l", "message": "m", "tags": {"t": "v"}}}]}}"#;
        let policy = crate::Policy::from_json(text).unwrap();
        fn walk(v: &Json, user_keys: bool, seen: &mut Vec<alloc::string::String>) {
            match v {
                Json::Object(map) => {
                    for (k, v) in map.iter() {
                        if !user_keys {
                            let in_a_table = TABLES.iter().any(|(_, t)| t.contains(&k.as_str()));
                            assert!(in_a_table, "the serializer writes `{k}`, in no table");
                            seen.push(k.clone());
                        }
                        walk(v, !user_keys && matches!(k.as_str(), "attributes" | "custom" | "tags"), seen);
                    }
                }
                Json::Array(items) => items.iter().for_each(|v| walk(v, false, seen)),
                _ => {}
            }
        }
        let mut seen = Vec::new();
        walk(&policy.to_json(), false, &mut seen);
        // `$schema` is for editors: accepted, not part of the model, never written back.
        let written = |k: &&&str| **k != "$schema";
        let missing: Vec<_> = TABLES
            .iter()
            .flat_map(|(_, t)| t.iter())
            .filter(written)
            .filter(|k| !seen.iter().any(|s| s == *k))
            .collect();
        assert!(missing.is_empty(), "keys the serializer never wrote: {missing:?}");
    }
}
