//! Writes, for every Rust-shaped case (`"sdk": "rust"`) of the vector files, its context
//! in the canonical shape as the core's Rust SDK adapter ([`SentryContext`], feature
//! `sentry`) reads it: the JavaScript and Python runners decide those cases through their
//! canonical adapter over this projection, instead of re-implementing the adapter's field
//! sources.
//!
//! Output: `{"<vector file name>": {"<case name>": canonical context}}`.
//!
//! Usage: `rust_canonical OUT.json [VECTOR.json...]` (default: tests/vectors/*.json).

use std::error::Error;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};
use tracesieve::Context;
use tracesieve::Field;
use tracesieve::sentry::SentryContext;
use tracesieve_conformance::rust_shape::transaction_context;

/// A value the adapter read, as JSON (`null` when it read none).
fn json_of<T: Into<Json>>(v: Option<T>) -> Json {
    v.map_or(Json::Null, Into::into)
}

/// The canonical projection of a Rust-shaped context `{name, op, sampled, custom}`.
fn canonical(ctx: &Json) -> Json {
    let tx = transaction_context(ctx);
    let rust = SentryContext::new(&tx);
    let field = |f: Field| json_of(rust.field(f).and_then(|v| v.as_str().map(String::from)));
    // The custom context, as the sentry crate holds it; the adapter reads each of its keys
    // as an attribute too: the attributes are the keys it finds there.
    let custom: Map<String, Json> = tx.custom().cloned().unwrap_or_default();
    let attributes: Map<String, Json> =
        custom.iter().filter(|(k, _)| rust.attribute(k).is_some()).map(|(k, v)| (k.clone(), v.clone())).collect();
    json!({
        "name": field(Field::Name),
        "op": field(Field::Op),
        "method": field(Field::Method),
        "path": field(Field::Path),
        "attributes": attributes,
        "custom": custom,
        "parentSampled": json_of(rust.parent_sampled()),
        "parentSampleRate": json_of(rust.parent_sample_rate()),
        "sampleRand": json_of(rust.sample_rand()),
    })
}

/// The projections of one vector file's Rust-shaped cases, by case name.
fn projections(path: &Path) -> Result<Map<String, Json>, Box<dyn Error>> {
    let doc: Json = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let mut out = Map::new();
    for case in doc["cases"].as_array().into_iter().flatten() {
        if case.get("sdk").and_then(Json::as_str) != Some("rust") || case.get("context").is_none() {
            continue;
        }
        let name = case["name"].as_str().ok_or("a case without a name")?;
        if out.insert(name.to_string(), canonical(&case["context"])).is_some() {
            return Err(format!("{}: two Rust-shaped cases named {name:?}", path.display()).into());
        }
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: rust_canonical OUT.json [VECTOR.json...]")?;
    let mut files: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if files.is_empty() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
        files = std::fs::read_dir(dir)?.map(|e| Ok(e?.path())).collect::<Result<_, std::io::Error>>()?;
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
    }
    let mut all = Map::new();
    let mut count = 0;
    for path in &files {
        let cases = projections(path)?;
        count += cases.len();
        let file = path.file_name().and_then(|f| f.to_str()).ok_or("a vector file without a name")?;
        if !cases.is_empty() {
            all.insert(file.to_string(), Json::Object(cases));
        }
    }
    if let Some(dir) = Path::new(&out).parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, serde_json::to_string(&Json::Object(all))?)?;
    eprintln!("wrote the canonical projections of {count} Rust-shaped cases to {out}");
    Ok(())
}
