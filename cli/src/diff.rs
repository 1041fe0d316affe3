//! `tracesieve diff OLD NEW TRAFFIC`: two simulations side by side, and the roots whose
//! decision changes.

use serde_json::{Value as Json, json};

use crate::args::{Args, usage_error};
use crate::simulate::{self, Simulation, Step, round3};
use crate::{Io, OK, context, load, table};

/// `tracesieve diff --help`.
pub const HELP: &str = "\
usage: tracesieve diff [--format table|json] [--examples N] OLD NEW TRAFFIC

Simulates both policies on TRAFFIC (JSONL: a file, or - for standard input) and shows them
side by side: per step and in total, the roots, the expected kept count and, for roots with
a sampleRand, the kept count; then how many roots change decision (another step or another
rate) with the first few of them.

options:
  --format FORMAT   table (default) or json ({\"old\", \"new\", \"steps\", \"changed\", \"examples\"})
  --examples N      how many changed roots to show (default 5)
  -h, --help        this text
";

/// One root whose decision changes.
struct Change {
    line: usize,
    label: String,
    old: (String, f64, Option<bool>),
    new: (String, f64, Option<bool>),
}

/// Runs `diff`.
pub fn main(args: &[String], io: &mut dyn Io) -> i32 {
    let args = match Args::parse(args, &[], &["--format", "--examples"], HELP, io) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if args.help {
        io.out(HELP);
        return OK;
    }
    let format = match args.choice("--format", &["table", "json"], HELP, io) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let Ok(max_examples) = args.option("--examples").unwrap_or("5").parse::<usize>() else {
        return usage_error("--examples must be a whole number", HELP, io);
    };
    let [old_path, new_path, traffic] = args.positional.as_slice() else {
        return usage_error("diff takes two policy files and a traffic file", HELP, io);
    };
    let (old, new) = match (load::policy(old_path, io), load::policy(new_path, io)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let (mut a, mut b) = (Simulation::new(&old), Simulation::new(&new));
    let (mut changed, mut examples) = (0u64, Vec::new());
    let walked = simulate::each_root(traffic, io, |root| {
        let d1 = context::decide(&old, root.sdk, root.context(), root.sample_rand);
        let d2 = context::decide(&new, root.sdk, root.context(), root.sample_rand);
        a.add(root, &d1);
        b.add(root, &d2);
        let (s1, s2) = (a.steps[a.step_of(&d1)].id.clone(), b.steps[b.step_of(&d2)].id.clone());
        if s1 != s2 || d1.rate != d2.rate {
            changed += 1;
            if examples.len() < max_examples {
                let label = root.label();
                examples.push(Change {
                    line: root.line,
                    label,
                    old: (s1, d1.rate, d1.sampled),
                    new: (s2, d2.rate, d2.sampled),
                });
            }
        }
    });
    if let Err(code) = walked {
        return code;
    }
    let out = match format {
        "json" => format!("{}\n", to_json(&a, &b, changed, &examples)),
        _ => to_table(&a, &b, changed, &examples),
    };
    io.out(&out);
    OK
}

/// Step ids of both simulations: the old ones in order, then the new ones the old lacks.
fn step_ids(a: &Simulation, b: &Simulation) -> Vec<String> {
    let mut ids: Vec<String> = a.shown().map(|s| s.id.clone()).collect();
    let extra: Vec<String> = b.shown().map(|s| s.id.clone()).filter(|id| !ids.contains(id)).collect();
    ids.extend(extra);
    ids
}

fn find<'s>(sim: &'s Simulation, id: &str) -> Option<&'s Step> {
    sim.steps.iter().find(|s| s.id == id)
}

fn to_table(a: &Simulation, b: &Simulation, changed: u64, examples: &[Change]) -> String {
    let header = [
        "step", "old roots", "old rate", "old expected", "old kept", "new roots", "new rate", "new expected",
        "new kept",
    ];
    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    let cells = |s: Option<&Step>| match s {
        Some(s) => vec![s.roots.to_string(), table::rate(s), table::expected(s).0, table::kept(s)],
        None => vec!["-".into(); 4],
    };
    for id in step_ids(a, b) {
        let mut row = vec![id.clone()];
        row.extend(cells(find(a, &id)));
        row.extend(cells(find(b, &id)));
        rows.push(row);
    }
    let mut total = vec!["total".to_string()];
    total.extend(cells(Some(&a.total)));
    total.extend(cells(Some(&b.total)));
    rows.push(total);
    let mut out = table::render(&rows);
    let delta = b.total.expected - a.total.expected;
    out.push_str(&format!("\nexpected kept: {:.1} -> {:.1} ({delta:+.1})\n", a.total.expected, b.total.expected));
    out.push_str(&format!("{changed} of {} roots change decision\n", a.total.roots));
    for c in examples {
        let fate = |s: Option<bool>| s.map_or("", |k| if k { ", kept" } else { ", dropped" });
        out.push_str(&format!(
            "  line {}: {}: {} {}{} -> {} {}{}\n",
            c.line,
            c.label,
            c.old.0,
            c.old.1,
            fate(c.old.2),
            c.new.0,
            c.new.1,
            fate(c.new.2)
        ));
    }
    out
}

fn to_json(a: &Simulation, b: &Simulation, changed: u64, examples: &[Change]) -> Json {
    let steps: Vec<Json> = step_ids(a, b)
        .iter()
        .map(|id| json!({ "id": id, "old": find(a, id).map(simulate::step_json), "new": find(b, id).map(simulate::step_json) }))
        .collect();
    let examples: Vec<Json> = examples
        .iter()
        .map(|c| {
            json!({ "line": c.line, "root": c.label,
                    "old": { "step": c.old.0, "rate": c.old.1, "sampled": c.old.2 },
                    "new": { "step": c.new.0, "rate": c.new.1, "sampled": c.new.2 } })
        })
        .collect();
    let total = |s: &Step| json!({ "roots": s.roots, "expectedKept": round3(s.expected), "kept": s.kept() });
    json!({ "old": total(&a.total), "new": total(&b.total), "steps": steps, "changed": changed, "examples": examples })
}
