//! `make demo`: the bundled policy (`examples/policy.json`) deciding the bundled traffic
//! (`examples/traffic.jsonl`) through the real `sentry` crate, counted from the envelopes
//! it sends.
//!
//! Every root continues its trace from `sentry-trace` and `baggage` headers carrying its
//! `sample_rand`, so the roots kept are known exactly in advance: the "expected" column
//! counts the roots whose `sample_rand` is below the rate the policy gives them. This run
//! writes its column to `target/demo/rust.json`; the JavaScript and Python demos write
//! theirs beside it (format: `examples/README.md`), and the table shows every column found.
//!
//! Usage: `cargo run -p tracesieve --example demo --features sentry [POLICY] [TRAFFIC]`

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sentry::protocol::{Context as ProtoContext, EnvelopeItem};
use sentry::{ClientOptions, TransactionContext};
use serde_json::{Value as Json, json};
use tracesieve::sentry::{SentryContext, continue_from_headers, traces_sampler};
use tracesieve::{Decision, Reason, Sampler};

/// The table row a decision belongs to: its rule id, or `(parent)` / `(default)`.
fn row(d: &Decision<'_>) -> String {
    match (d.rule_id, d.reason) {
        (Some(id), _) => id.to_string(),
        (None, Reason::Parent) => "(parent)".into(),
        (None, Reason::Forced) => "(forced)".into(),
        (None, _) => "(default)".into(),
    }
}

/// The transaction context of one traffic line, continued from its headers.
fn transaction(line: &Json) -> TransactionContext {
    let s = |k: &str| line.get(k).and_then(Json::as_str).unwrap_or("");
    let trace_id = s("traceId");
    let parent = line.get("parent").filter(|p| p.is_object());
    let flag = match parent.and_then(|p| p["sampled"].as_bool()) {
        Some(true) => "-1",
        Some(false) => "-0",
        None => "",
    };
    let sentry_trace = format!("{trace_id}-{}{flag}", &trace_id[16..]);
    let mut baggage =
        format!("sentry-trace_id={trace_id},sentry-sample_rand={:.6}", line["sampleRand"].as_f64().unwrap_or(0.0));
    if let Some(rate) = parent.and_then(|p| p["sampleRate"].as_f64()) {
        baggage.push_str(&format!(",sentry-sample_rate={rate}"));
    }
    let headers = [("sentry-trace", sentry_trace.as_str()), ("baggage", baggage.as_str())];
    let mut ctx = continue_from_headers(s("name"), s("op"), headers);
    for (k, v) in line["attributes"].as_object().into_iter().flatten() {
        ctx.custom_insert(k.clone(), v.clone());
    }
    if let Some(path) = line.get("path").and_then(Json::as_str) {
        ctx.custom_insert("url.path".into(), path.into());
        ctx.custom_insert("http.request.method".into(), s("method").into());
    }
    ctx
}

/// The trace ids of the transactions the SDK sent.
fn sent_trace_ids(sampler: &Arc<Sampler>, traffic: &[Json]) -> BTreeSet<String> {
    let options = ClientOptions::new().traces_sampler(traces_sampler(Arc::clone(sampler)));
    let envelopes = sentry::test::with_captured_envelopes_options(
        || traffic.iter().for_each(|line| sentry::start_transaction(transaction(line)).finish()),
        options,
    );
    let items = envelopes.iter().flat_map(|e| e.items().cloned().collect::<Vec<_>>());
    items
        .filter_map(|item| match item {
            EnvelopeItem::Transaction(tx) => match tx.contexts.get("trace") {
                Some(ProtoContext::Trace(t)) => Some(t.trace_id.to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().ok_or("no workspace")?.to_path_buf();
    let mut args = std::env::args().skip(1).map(PathBuf::from);
    let policy_path = args.next().unwrap_or_else(|| root.join("examples/policy.json"));
    let traffic_path = args.next().unwrap_or_else(|| root.join("examples/traffic.jsonl"));
    let sampler = Arc::new(Sampler::from_json(&std::fs::read_to_string(&policy_path)?)?);
    let traffic: Vec<Json> =
        std::fs::read_to_string(&traffic_path)?.lines().map(serde_json::from_str).collect::<Result<_, _>>()?;

    // What the policy says, root by root (explain does not count).
    let mut rows: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    let mut row_of = BTreeMap::new();
    for line in &traffic {
        let tx = transaction(line);
        let d = sampler.explain(&SentryContext::new(&tx)).decision;
        let rate = match d.reason {
            Reason::Parent => "parent's".to_string(),
            _ => d.rate.to_string(),
        };
        let entry = rows.entry(row(&d)).or_insert((rate, 0, 0));
        entry.1 += 1;
        entry.2 += usize::from(d.sampled == Some(true));
        row_of.insert(line["traceId"].as_str().unwrap_or("").to_string(), row(&d));
    }

    // What the real SDK sent.
    let mut kept: BTreeMap<String, usize> = BTreeMap::new();
    for trace_id in sent_trace_ids(&sampler, &traffic) {
        *kept.entry(row_of.get(&trace_id).cloned().unwrap_or_else(|| "(unknown)".into())).or_default() += 1;
    }
    let out = root.join("target/demo");
    std::fs::create_dir_all(&out)?;
    let column = json!({ "column": "rust (sentry 0.49)", "kept": kept });
    std::fs::write(out.join("rust.json"), serde_json::to_string_pretty(&column)?)?;

    // Rows in policy order, then the parent and the default.
    let order: Vec<String> = sampler
        .stats()
        .traces
        .by_rule
        .into_iter()
        .map(|(id, _)| id)
        .chain(["(parent)".into(), "(default)".into()])
        .collect();
    let mut ordered: Vec<(String, (String, usize, usize))> =
        order.into_iter().filter_map(|k| rows.remove(&k).map(|v| (k, v))).collect();
    ordered.extend(rows);
    let mismatches = print_table(&ordered, &out)?;
    println!("\n{} roots from {}, policy {}", traffic.len(), traffic_path.display(), policy_path.display());
    if mismatches > 0 {
        return Err(format!("{mismatches} cells differ from the expected count").into());
    }
    Ok(())
}

/// Prints one row per rule and one column per language found in `out`; returns how many
/// cells differ from the expected count.
fn print_table(rows: &[(String, (String, usize, usize))], out: &Path) -> Result<usize, Box<dyn Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort_by_key(|p| (p.file_stem().is_none_or(|s| s != "rust"), p.clone()));
    let columns: Vec<Json> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).map(|t| serde_json::from_str(&t)))
        .collect::<Result<Result<_, _>, _>>()??;
    let titles: Vec<&str> = columns.iter().map(|c| c["column"].as_str().unwrap_or("?")).collect();
    print!("{:<10} {:>8} {:>6} {:>9}", "rule", "rate", "roots", "expected");
    titles.iter().for_each(|t| print!(" {t:>20}"));
    println!();
    let mut mismatches = 0;
    for (name, (rate, seen, expected)) in rows {
        print!("{name:<10} {rate:>8} {seen:>6} {expected:>9}");
        for c in &columns {
            let got = c["kept"].get(name).and_then(Json::as_u64).unwrap_or(0);
            let mark = if got == *expected as u64 { " " } else { "!" };
            mismatches += usize::from(mark == "!");
            print!(" {:>19}{mark}", got);
        }
        println!();
    }
    Ok(mismatches)
}
