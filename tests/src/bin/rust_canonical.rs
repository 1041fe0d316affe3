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

use serde_json::{Map, Value as Json};
use tracesieve_conformance::rust_shape::canonical;

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
