//! Writes seeded random conformance cases in the vector format (`tests/vectors/README.md`),
//! with the Rust core's decisions as expectations. Every other backend runs the file like
//! any vector file and must agree case for case.
//!
//! Usage: `gen_differential [--seed N] [--cases N] OUT.json`

use std::error::Error;

use serde_json::{Value as Json, json};
use tracesieve_conformance::generate::Generator;

fn main() -> Result<(), Box<dyn Error>> {
    let (mut seed, mut cases, mut out) = (20_261_121u64, 2_000usize, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().ok_or("--seed needs a number")?.parse()?,
            "--cases" => cases = args.next().ok_or("--cases needs a number")?.parse()?,
            path => out = Some(path.to_string()),
        }
    }
    let out = out.ok_or("usage: gen_differential [--seed N] [--cases N] OUT.json")?;
    let mut generator = Generator::new(seed);
    let cases: Vec<Json> = (0..cases).map(|i| generator.case(i)).collect();
    let file = json!({
        "description": format!("differential cases generated with seed {seed}; expectations from the Rust core"),
        "cases": cases,
    });
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, serde_json::to_string(&file)?)?;
    eprintln!("wrote {} cases to {out}", file["cases"].as_array().map_or(0, Vec::len));
    Ok(())
}
