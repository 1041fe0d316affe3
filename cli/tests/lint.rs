//! The lint cases of `tests/lint/warnings.json`: each policy's warnings, in order, through
//! the core's `lint` and through `tracesieve check` (which must list the same paths).

use serde_json::Value as Json;
use tracesieve_cli::{MemoryIo, run};

#[test]
fn lint_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/lint/warnings.json");
    let file: Json = serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("valid JSON");
    let cases = file["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let text = case["policy"].to_string();
        let policy = tracesieve::Policy::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<(String, String)> =
            tracesieve::lint(&policy).into_iter().map(|w| (w.path, w.code.to_string())).collect();
        let want: Vec<(String, String)> = case["expect"]
            .as_array()
            .expect("expect")
            .iter()
            .map(|w| (w["path"].as_str().unwrap_or("").into(), w["code"].as_str().unwrap_or("").into()))
            .collect();
        if got != want {
            failures.push(format!("{name}: got {got:?}, expected {want:?}"));
        }
        // `check` lists the same warnings, and `--strict` fails on them.
        let mut io = MemoryIo { files: vec![("p.json".into(), text)], ..Default::default() };
        let code = run(&["check".into(), "--strict".into(), "p.json".into()], &mut io);
        let listed: Vec<&str> = io.stderr.lines().filter(|l| l.contains(": warning: ")).collect();
        if listed.len() != want.len() || code != if want.is_empty() { 0 } else { 1 } {
            failures.push(format!("{name}: check --strict exited {code} with {listed:?}"));
        }
        for ((p, c), line) in want.iter().zip(&listed) {
            if !line.starts_with(&format!("p.json: warning: {p}: ")) || !line.ends_with(&format!("[{c}]")) {
                failures.push(format!("{name}: check listed {line:?}, expected {p} [{c}]"));
            }
        }
    }
    assert!(failures.is_empty(), "{} lint cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(cases.len() >= 15);
}
