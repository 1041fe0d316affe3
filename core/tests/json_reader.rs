//! The crate's own JSON reader (`tracesieve::json`, what policies are parsed with) against
//! `serde_json`, which the crate used before: the same texts accepted, the same values read,
//! numbers to the bit; and every written value read back as itself.

use proptest::prelude::*;
use tracesieve::json::{self, Value};

/// `serde_json`'s value as the crate's (numbers as `f64`, as the policy parser reads them).
fn from_serde(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Number(n.as_f64().expect("finite")),
        J::String(s) => Value::String(s.clone()),
        J::Array(items) => Value::Array(items.iter().map(from_serde).collect()),
        J::Object(members) => Value::Object(members.iter().map(|(k, v)| (k.clone(), from_serde(v))).collect()),
    }
}

/// Same value, numbers compared by bits (so `0.1` read one ULP off would differ); `-0` and
/// `0` are one value (serde_json reads `-0` as the integer 0).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.to_bits() == y.to_bits() || (*x == 0.0 && *y == 0.0),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, a)| y.get(k).is_some_and(|b| same(a, b)))
        }
        _ => a == b,
    }
}

fn agree(text: &str) -> Result<(), TestCaseError> {
    let ours = json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => prop_assert!(same(a, &from_serde(b)), "{text:?}: {a:?} vs {b:?}"),
        (Err(_), Err(_)) => {}
        _ => prop_assert!(false, "{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
    Ok(())
}

/// Random JSON values, written by serde_json (numbers from a wide range of magnitudes).
fn value() -> impl Strategy<Value = serde_json::Value> {
    let number = prop_oneof![
        any::<f64>().prop_filter("finite", |n| n.is_finite()),
        (0u64..1000, -30i32..30).prop_map(|(m, e)| m as f64 * 10f64.powi(e)),
        any::<i64>().prop_map(|n| n as f64),
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        number.prop_map(|n| serde_json::json!(n)),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Near-JSON texts from JSON's own characters: accepted and rejected alike.
    #[test]
    fn accepts_and_rejects_what_serde_json_does(text in r#"[\[\]{}":, 0-9eE.+\-tnrufalsx\\/bu0dD8\n\t]{0,24}"#) {
        agree(&text)?;
    }

    /// Numbers in every notation JSON allows (and some it does not): read to the bit.
    #[test]
    fn reads_numbers_exactly(text in r"-?(0|[1-9][0-9]{0,25})?(\.[0-9]{0,25})?([eE][+-]?[0-9]{0,3})?") {
        agree(&text)?;
    }

    /// Any value serde_json writes, compact or pretty, reads back as the same value; and
    /// what this crate writes reads back as itself.
    #[test]
    fn reads_what_serde_json_writes(v in value()) {
        agree(&v.to_string())?;
        agree(&serde_json::to_string_pretty(&v).expect("writable"))?;
        let ours = from_serde(&v);
        let again = json::parse(&ours.to_string()).expect("what we write parses");
        prop_assert!(same(&again, &ours), "{ours:?} -> {} -> {again:?}", ours);
    }
}

#[test]
fn surrogate_escapes_are_read_as_serde_json_reads_them() {
    for text in [r#""\ud83d\ude00""#, r#""\ud800""#, r#""\udc00""#, r#""\ud800\u0041""#, r#""\ud800x""#] {
        agree(text).unwrap();
    }
}
