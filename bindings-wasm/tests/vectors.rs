//! Every conformance vector (`tests/vectors/*.json`, plus `TRACESIEVE_EXTRA_VECTORS`)
//! through the built `tracesieve.wasm`, on the `wasmi` interpreter, with a host written
//! from `docs/wasm-abi.md`; and the ABI's error paths.

mod host;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use host::{Host, Policy, REASONS};
use serde_json::{Value as Json, json};
use tracesieve_conformance::rust_shape::canonical as rust_as_canonical;

fn vector_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
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

fn policy_text(file: &Json, case: &Json) -> String {
    if let Some(text) = case.get("policyText").and_then(Json::as_str) {
        return text.to_string();
    }
    if let Some(name) = case.get("policyRef").and_then(Json::as_str) {
        return file["policies"][name].to_string();
    }
    case["policy"].to_string()
}

/// The shape code and the context to encode for a case.
fn shape_of(case: &Json) -> Result<(u32, Json), String> {
    let ctx = case.get("context").cloned().unwrap_or(Json::Null);
    let rand = case.get("sampleRand").cloned();
    let canonical = |mut ctx: Json| {
        if let (Some(r), Some(obj)) = (&rand, ctx.as_object_mut()) {
            obj.insert("sampleRand".into(), r.clone());
        }
        (1, ctx)
    };
    Ok(match case.get("sdk").and_then(Json::as_str) {
        None => canonical(ctx),
        Some("rust") => canonical(rust_as_canonical(&ctx)),
        Some("js") => (0, ctx),
        Some("python") => (2, ctx),
        Some("java") => (3, ctx),
        Some("ruby") => (4, ctx),
        Some(other) => return Err(format!("unknown sdk {other:?}")),
    })
}

fn run_case(host: &mut Host, file: &Json, case: &Json) -> Result<(), String> {
    let text = policy_text(file, case);
    let (shape, ctx) = shape_of(case)?;
    let compiled = host.compile(&text, shape);
    if let Some(want) = case.get("expectError").and_then(Json::as_str) {
        return match compiled {
            Ok(p) => {
                host.release(p);
                Err(format!("policy compiled, expected an error containing {want:?}"))
            }
            Err(e) => {
                let message = e["message"].as_str().unwrap_or_default();
                let problems = e["problems"].as_array().map_or(0, Vec::len);
                if !message.contains(want) {
                    Err(format!("error {message:?} does not contain {want:?}"))
                } else if problems == 0 {
                    Err(format!("error {message:?} lists no problems"))
                } else {
                    Ok(())
                }
            }
        };
    }
    let p = compiled.map_err(|e| format!("policy error: {e}"))?;
    let result = check(host, &p, case, &ctx);
    host.release(p);
    result
}

fn check(host: &mut Host, p: &Policy, case: &Json, ctx: &Json) -> Result<(), String> {
    let error = case.get("kind").and_then(Json::as_str) == Some("error");
    let expect = case.get("expect").ok_or("case has neither expect nor expectError")?;
    let explained = host.explain(p, ctx, error);
    let (rate, rec) = host.decide(p, ctx, error);
    let kind = if error { "errors" } else { "traces" };
    let ids = p.plans["rules"][if error { "error" } else { "trace" }].as_array().cloned().unwrap_or_default();
    let rule_id = usize::try_from(rec.rule).ok().map(|i| ids.get(i).cloned().ok_or("rule index out of range"));
    let rule_id = rule_id.transpose()?.unwrap_or(Json::Null);
    let reason = REASONS.get(rec.reason as usize).copied().ok_or("unknown reason code")?;
    // The error decision returns the SDK's rate (1 or 0 once its trace's fate is known);
    // the record has the policy's rate.
    if !error && rate.to_bits() != rec.rate.to_bits() {
        return Err(format!("ts_decide returned {rate}, its record says {}", rec.rate));
    }
    let got = json!({ "rate": rec.rate, "reason": reason, "ruleId": rule_id });
    let want = json!({ "rate": expect["rate"].as_f64(), "reason": expect["reason"], "ruleId": expect.get("ruleId").unwrap_or(&Json::Null) });
    if got != want {
        return Err(format!("got {got}, expected {want}"));
    }
    let from_explain =
        json!({ "rate": explained["rate"].as_f64(), "reason": explained["reason"], "ruleId": explained["ruleId"] });
    if from_explain != want {
        return Err(format!("explained {from_explain}, expected {want}"));
    }
    if rec.kind != u8::from(error) {
        return Err(format!("record kind {}", rec.kind));
    }
    let rand = case.get("sampleRand").and_then(Json::as_f64);
    let sampled = match rec.sampled {
        0 => Some(false),
        1 => Some(true),
        _ => rand.filter(|r| (0.0..=1.0).contains(r)).map(|r| r < rec.rate),
    };
    if let Some(w) = expect.get("sampled").and_then(Json::as_bool) {
        if sampled != Some(w) {
            return Err(format!("sampled: got {sampled:?}, expected {w}"));
        }
    }
    let stats = host.stats(p);
    if stats[kind]["total"] != json!(1) {
        return Err(format!("stats count {} decisions (explain must not count)", stats[kind]["total"]));
    }
    // The same engine from its compiled bytes decides the same.
    let bytes = host.compiled(p);
    let loaded = host.load(&bytes).map_err(|e| format!("compiled bytes do not load: {e}"))?;
    let again = host.decide(&loaded, ctx, error).1;
    host.release(loaded);
    if again != rec {
        return Err(format!("loaded from compiled bytes: {again:?}, compiled: {rec:?}"));
    }
    Ok(())
}

#[test]
fn every_vector_through_the_portable_module() {
    let mut host = Host::new();
    let (mut passed, mut failures, mut java) = (0, String::new(), 0);
    for path in vector_files() {
        let text = std::fs::read_to_string(&path).expect("readable vector file");
        let file: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let fname = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        for case in file["cases"].as_array().unwrap_or_else(|| panic!("{fname}: no cases")) {
            let name = case["name"].as_str().unwrap_or("<unnamed>");
            java += usize::from(case.get("sdk").and_then(Json::as_str) == Some("java"));
            match run_case(&mut host, &file, case) {
                Ok(()) => passed += 1,
                Err(why) => writeln!(failures, "{fname}: {name}: {why}").unwrap_or(()),
            }
        }
    }
    let failed = failures.lines().count();
    println!("{passed} vector cases passed through tracesieve.wasm ({java} of the java shape), {failed} failed");
    assert!(failures.is_empty(), "{failed} vector cases failed:\n{failures}");
    assert!(passed >= 600, "only {passed} vector cases");
    assert!(java >= 20, "only {java} java-shape cases");
}

#[test]
fn errors_are_data_never_traps() {
    let mut host = Host::new();
    // Unknown handles.
    assert_eq!(host.call::<(u32, u32), f64>("ts_decide", (0, 0)), -1.0);
    assert_eq!(host.call::<(u32, u32), f64>("ts_decide_error", (77, 0)), -1.0);
    assert_eq!(host.call::<u32, u64>("ts_stats", 5), 0);
    assert_eq!(host.call::<(u32, u32), u32>("ts_buffer", (5, 8)), 0);
    assert_eq!(host.call::<u32, u32>("ts_release", 0), 0);
    // A pointer that is not an allocation, a bad shape, bad UTF-8, bad compiled bytes.
    assert_eq!(host.call::<(u32, u32, u32), u32>("ts_compile", (12345, 10, 3)), 0);
    let e = host.call::<(), u64>("ts_error", ());
    assert!(host.text(e).contains("not in an allocation"), "{}", host.text(e));
    assert!(host.compile("{\"defaultRate\": 0.1}", 9).unwrap_err()["message"].as_str().unwrap().contains("shape"));
    let ptr = host.input(&[0xff, 0xfe]);
    assert_eq!(host.call::<(u32, u32, u32), u32>("ts_compile", (ptr, 2, 3)), 0);
    assert_eq!(host.call::<(u32, u32, u32), u32>("ts_compile", (ptr, 3000, 3)), 0, "longer than the allocation");
    assert!(host.load(b"not compiled bytes").is_err());
    // Every problem with its path.
    let e = host.compile(r#"{"defaultRate": 2, "rules": [{"when": {"pathh": "/x"}, "rate": 0}]}"#, 3).unwrap_err();
    let paths: Vec<&str> = e["problems"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["defaultRate", "rules[0].when"], "{e}");
    // Garbage wire bytes: a valid rate, counted as a fallback.
    let p = host.compile(r#"{"defaultRate": 0.25, "rules": [{"when": {"path": "/x"}, "rate": 1}]}"#, 3).unwrap();
    let at: u32 = host.call("ts_buffer", (p.handle, 64));
    host.write(at, &[0xff; 64]);
    let rate: f64 = host.call("ts_decide", (p.handle, 64));
    assert_eq!(rate, 0.25);
    let rate: f64 = host.call("ts_decide", (p.handle, 100_000));
    assert_eq!(rate, 0.25, "a length past the buffer reads the buffer");
    assert_eq!(host.stats(&p)["fallbacks"], json!(2));
    let version = host.call::<(), u64>("ts_version", ());
    assert_eq!(host.text(version), env!("CARGO_PKG_VERSION"));
    // A released handle is unknown; its slot is reused.
    let handle = p.handle;
    host.release(p);
    assert_eq!(host.call::<(u32, u32), f64>("ts_decide", (handle, 0)), -1.0);
    assert_eq!(host.compile("{\"defaultRate\": 0.5}", 1).unwrap().handle, handle);
}

/// The policy and the context of the recording tests: the policy reads `tier` (custom);
/// the context has a secret the policy does not read and the user does not list.
const RECORD_POLICY: &str =
    r#"{"defaultRate": 0.2, "rules": [{"id": "pro", "when": {"custom": {"tier": "pro"}}, "rate": 1}]}"#;
const RECORD_KEYS: &str = r#"{"attributes": ["app.region"], "custom": []}"#;

fn record_context() -> Json {
    json!({"name": "GET /a", "op": "http.server", "method": "GET", "path": "/a",
           "attributes": {"app.region": "eu", "user.email": "secret@example.com"},
           "custom": {"tier": "pro", "cookie": "secret-cookie"}})
}

fn check_record_line(line: &str) {
    let v: Json = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    assert_eq!(v["name"], json!("GET /a"), "{line}");
    assert_eq!(v["path"], json!("/a"), "{line}");
    assert_eq!(v["attributes"], json!({"app.region": "eu"}), "a listed key: {line}");
    assert_eq!(v["custom"], json!({"tier": "pro"}), "a key the policy reads: {line}");
    assert!(v.get("parent").is_none(), "{line}");
    assert_eq!(v["sampleRand"], json!(0.25), "{line}");
    assert_eq!(v["decision"], json!({"rate": 1, "reason": "rule", "ruleId": "pro", "sampled": true}), "{line}");
    assert!(!line.contains("secret"), "nothing the policy does not read: {line}");
}

#[test]
fn records_roots_through_the_portable_module() {
    let mut host = Host::new();
    let p = host.compile_record(RECORD_POLICY, 1, RECORD_KEYS).unwrap();
    let (record, line) = host.decide_record(&p, &record_context(), 0.25, 1_700_000_000.5);
    assert_eq!((record.rate, REASONS[record.reason as usize], record.kind), (1.0, "rule", 0));
    assert_eq!(p.plans["rules"]["trace"][record.rule as usize], json!("pro"));
    check_record_line(&line);
    assert!(line.contains(r#""timestamp":1700000000.5"#), "{line}");
    let (_, line) = host.decide_record(&p, &record_context(), f64::NAN, f64::NAN);
    assert!(!line.contains("sampleRand") && !line.contains("timestamp"), "NaN is unknown: {line}");
    assert_eq!(host.stats(&p)["traces"]["total"], json!(2), "a recorded root is counted");
    // The context's own sample_rand wins over the host's.
    let mut ctx = record_context();
    ctx["sampleRand"] = json!(0.5);
    let (_, line) = host.decide_record(&p, &ctx, 0.25, f64::NAN);
    assert!(line.contains(r#""sampleRand":0.5"#), "{line}");
    // Errors are data.
    assert_eq!(host.call::<(u32, u32, f64, f64), u64>("ts_decide_record", (999, 0, 0.5, 0.0)), 0);
    let e = host.compile_record(RECORD_POLICY, 1, r#"{"custom": [1]}"#).unwrap_err();
    assert!(e["message"].as_str().unwrap().contains("custom"), "{e}");
    assert!(host.compile_record(RECORD_POLICY, 1, "[").is_err());
    let ptr = host.input(RECORD_POLICY.as_bytes());
    let handle: u32 = host.call("ts_compile_record", (ptr, RECORD_POLICY.len() as u32, 1, 4242, 3));
    assert_eq!(handle, 0, "keys that are not an allocation");
    // Without record keys the plan reads only what the policy needs: no listed key.
    let plain = host.compile(RECORD_POLICY, 1).unwrap();
    let (record, line) = host.decide_record(&plain, &record_context(), 0.25, f64::NAN);
    assert_eq!(record.rate, 1.0);
    assert!(!line.contains("app.region") && !line.contains("secret"), "{line}");
}

#[test]
#[allow(unsafe_code)] // the native library's C ABI
fn records_roots_through_the_native_library() {
    use tracesieve_abi::native::{tsn_compile_record, tsn_decide_record, tsn_error, tsn_line, tsn_release};
    let mut wire_host = Host::new();
    let p = wire_host.compile_record(RECORD_POLICY, 1, RECORD_KEYS).unwrap();
    let wire = host::encode(&p.plans["trace"], &record_context());
    // SAFETY: every pointer below is to a live buffer of the length passed.
    unsafe {
        let e =
            tsn_compile_record(RECORD_POLICY.as_ptr(), RECORD_POLICY.len(), 1, RECORD_KEYS.as_ptr(), RECORD_KEYS.len());
        assert!(!e.is_null());
        let mut rate = 0.0;
        let mut out = vec![0u8; 1024];
        let n = tsn_decide_record(e, wire.as_ptr(), wire.len(), 0.25, f64::NAN, &mut rate, out.as_mut_ptr(), out.len());
        assert_eq!(rate, 1.0);
        check_record_line(std::str::from_utf8(&out[..n]).unwrap());
        // A buffer too small: the whole length, and the line from tsn_line (not decided again).
        let mut small = [0u8; 8];
        let n2 = tsn_decide_record(e, wire.as_ptr(), wire.len(), 0.25, f64::NAN, &mut rate, small.as_mut_ptr(), 8);
        assert_eq!(n2, n);
        let m = tsn_line(out.as_mut_ptr(), out.len());
        assert_eq!(m, n);
        check_record_line(std::str::from_utf8(&out[..m]).unwrap());
        // A null engine; bad keys.
        let n =
            tsn_decide_record(std::ptr::null(), wire.as_ptr(), wire.len(), 0.25, 0.0, &mut rate, out.as_mut_ptr(), 8);
        assert_eq!((n, rate), (0, -1.0));
        let bad = r#"{"attributes": "x"}"#;
        let e2 = tsn_compile_record(RECORD_POLICY.as_ptr(), RECORD_POLICY.len(), 1, bad.as_ptr(), bad.len());
        assert!(e2.is_null());
        let n = tsn_error(out.as_mut_ptr(), out.len());
        assert!(std::str::from_utf8(&out[..n]).unwrap().contains("attributes"));
        tsn_release(e);
    }
}
