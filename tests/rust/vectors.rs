//! Runs every case of `tests/vectors/*.json` (format: `tests/vectors/README.md`) against
//! the Rust core, through the same SDK adapters the bindings use.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};
use tracesieve::sdk::{Canonical, Java, JavaEvent, Js, JsEvent, Python, PythonEvent, Ruby, RubyEvent};
use tracesieve::sentry::SentryContext;
use tracesieve::{Context, Decision, Sampler, WithSampleRand};
use tracesieve_conformance::rust_shape::transaction_context;

/// `tests/vectors/*.json`, plus the files listed in `TRACESIEVE_EXTRA_VECTORS`
/// (`:`-separated; `make test` passes the generated differential cases this way).
fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let extra = std::env::var("TRACESIEVE_EXTRA_VECTORS").unwrap_or_default();
    files.extend(extra.split(':').filter(|p| !p.is_empty()).map(PathBuf::from));
    files
}

/// The policy text of a case.
fn policy_text(file: &Json, case: &Json) -> Result<String, String> {
    if let Some(text) = case.get("policyText").and_then(Json::as_str) {
        return Ok(text.to_string());
    }
    if let Some(name) = case.get("policyRef").and_then(Json::as_str) {
        let policy = file.pointer(&format!("/policies/{name}")).ok_or(format!("no policy named {name:?}"))?;
        return Ok(policy.to_string());
    }
    case.get("policy").map(Json::to_string).ok_or_else(|| "case has no policy, policyRef or policyText".into())
}

fn decide<'s>(sampler: &'s Sampler, case: &Json) -> Result<Decision<'s>, String> {
    let context = case.get("context").unwrap_or(&Json::Null);
    let rand = case.get("sampleRand").and_then(Json::as_f64);
    let kind = case.get("kind").and_then(Json::as_str).unwrap_or("trace");
    let run = |inner: &dyn Context| {
        let ctx = WithSampleRand::new(inner, rand);
        if kind == "error" { sampler.decide_error(&ctx) } else { sampler.decide(&ctx) }
    };
    Ok(match case.get("sdk").and_then(Json::as_str) {
        None => run(&Canonical::new(context)),
        Some("js") if kind == "error" => run(&JsEvent::new(context)),
        Some("js") => run(&Js::new(context)),
        Some("python") if kind == "error" => run(&PythonEvent::from_pair(context)),
        Some("python") => run(&Python::new(context)),
        Some("ruby") if kind == "error" => {
            run(&RubyEvent::new(context.get("event").unwrap_or(&Json::Null), context.get("hint")))
        }
        Some("ruby") => run(&Ruby::new(context)),
        Some("java") if kind == "error" => run(&JavaEvent::new(context)),
        Some("java") => run(&Java::new(context)),
        Some("rust") => {
            let tx = transaction_context(context);
            return Ok(run(&SentryContext::new(&tx))).map(|d| Decision { rule_id: d.rule_id, ..d });
        }
        Some(other) => return Err(format!("unknown sdk {other:?}")),
    })
}

/// Runs one case; `Err` describes the mismatch.
fn run_case(file: &Json, case: &Json) -> Result<(), String> {
    let text = policy_text(file, case)?;
    let compiled = Sampler::from_json(&text);
    if let Some(want) = case.get("expectError").and_then(Json::as_str) {
        return match compiled {
            Ok(_) => Err(format!("policy compiled, expected an error containing {want:?}")),
            Err(e) if e.to_string().contains(want) => Ok(()),
            Err(e) => Err(format!("error {:?} does not contain {want:?}", e.to_string())),
        };
    }
    let sampler = compiled.map_err(|e| format!("policy error: {e}"))?;
    let expect = case.get("expect").ok_or("case has neither expect nor expectError")?;
    let d = decide(&sampler, case)?;
    // The same sampler through its compiled bytes decides the same.
    let loaded = Sampler::from_compiled(&sampler.to_compiled()).map_err(|e| format!("compiled bytes: {e}"))?;
    let from_bytes = decide(&loaded, case)?;
    if from_bytes != d {
        return Err(format!("loaded from compiled bytes: {from_bytes:?}, compiled: {d:?}"));
    }
    let got = json!({ "rate": d.rate, "reason": d.reason.as_str(), "ruleId": d.rule_id });
    let want = json!({
        "rate": expect.get("rate").and_then(Json::as_f64),
        "reason": expect.get("reason"),
        "ruleId": expect.get("ruleId").unwrap_or(&Json::Null),
    });
    if got != want {
        return Err(format!("got {got}, expected {want}"));
    }
    match (expect.get("sampled").and_then(Json::as_bool), d.sampled) {
        (Some(w), g) if Some(w) != g => Err(format!("sampled: got {g:?}, expected {w}")),
        _ => Ok(()),
    }
}

#[test]
fn conformance_vectors() {
    let (mut passed, mut failures) = (0, String::new());
    let mut smallest: Option<String> = None;
    for path in vector_files() {
        let text = std::fs::read_to_string(&path).expect("readable vector file");
        let file: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let cases =
            file.get("cases").and_then(Json::as_array).unwrap_or_else(|| panic!("{}: no cases", path.display()));
        let fname = path.file_name().unwrap_or_default().to_string_lossy();
        for case in cases {
            let name = case.get("name").and_then(Json::as_str).unwrap_or("<unnamed>");
            match run_case(&file, case) {
                Ok(()) => passed += 1,
                Err(why) => {
                    writeln!(failures, "{fname}: {name}: {why}").unwrap_or(());
                    let text = case.to_string();
                    if smallest.as_ref().is_none_or(|s| text.len() < s.len()) {
                        smallest = Some(text);
                    }
                }
            }
        }
    }
    let failed = failures.lines().count();
    println!("{passed} vector cases passed, {failed} failed");
    if let Some(case) = smallest {
        println!("smallest failing case:\n{case}");
    }
    assert!(failures.is_empty(), "{failed} vector cases failed:\n{failures}");
    // The same floor in every runner (tests/js/vectors.test.mjs, tests/python/test_vectors.py).
    assert!(passed >= 800, "only {passed} vector cases: the corpus must keep at least 800");
}
