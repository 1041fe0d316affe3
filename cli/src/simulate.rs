//! `tracesieve simulate POLICY TRAFFIC`: what a policy keeps of recorded traffic, per step.

use std::collections::HashMap;

use serde_json::{Value as Json, json};
use tracesieve::{Decision, Reason, Sampler};

use crate::args::{Args, usage_error};
use crate::traffic::{self, Root};
use crate::{Io, OK, USAGE, context, html, load, table};

/// `tracesieve simulate --help`.
pub const HELP: &str = "\
usage: tracesieve simulate [--format table|json|html] POLICY TRAFFIC

Decides every root of TRAFFIC (JSONL: a file, or - for standard input) with POLICY and
reports, per step (each rule id, and (forced), (parent), (default)): the roots, the rate
(\"varies\" / null where roots got different rates), the expected kept count (the sum of
the rates) with a 95% interval, and, for roots that carry a sampleRand, the roots kept
(sampleRand < rate); then the totals, and the kept roots per second and per day when
lines carry a timestamp.

Traffic lines are canonical ({\"name\", \"op\", \"method\", \"path\", \"attributes\",
\"parent\": {\"sampled\", \"sampleRate\"}, \"sampleRand\", \"traceId\", \"origin\",
\"custom\", \"timestamp\"}) or SDK-shaped ({\"sdk\": \"js\"|\"python\"|\"rust\"|\"canonical\",
\"context\": {...}, \"sampleRand\": ...}). See docs/cli.md.

options:
  --format FORMAT   table (default), json ({\"roots\", \"expectedKept\", \"kept\", \"steps\": [...]}),
                    or html (one self-contained page)
  -h, --help        this text
";

/// The roots one step decided.
#[derive(Clone, Debug, Default)]
pub struct Step {
    /// The rule id, or `(forced)`, `(parent)`, `(default)`.
    pub id: String,
    /// The reason of the step (`rule`, `genAi`, `forced`, `parent`, `default`).
    pub reason: &'static str,
    /// How many roots it decided.
    pub roots: u64,
    /// The rate, when every root got the same one (`None`: none yet, or it varies).
    pub rate: Option<f64>,
    /// Whether roots got different rates.
    pub varies: bool,
    /// The sum of the rates.
    pub expected: f64,
    /// The sum of `rate * (1 - rate)`: the variance of the kept count.
    pub variance: f64,
    /// The roots with a `sampleRand` that were kept.
    pub kept: u64,
    /// The roots with a `sampleRand`.
    pub with_rand: u64,
}

impl Step {
    fn add(&mut self, d: &Decision<'_>) {
        if self.roots > 0 && self.rate != Some(d.rate) {
            self.varies = true;
        }
        self.rate = if self.roots == 0 || !self.varies { Some(d.rate) } else { None };
        self.roots += 1;
        self.expected += d.rate;
        self.variance += d.rate * (1.0 - d.rate);
        if let Some(sampled) = d.sampled {
            self.with_rand += 1;
            self.kept += u64::from(sampled);
        }
    }

    /// The 95% interval of the kept count (normal approximation), within [0, roots].
    pub fn interval(&self) -> (f64, f64) {
        let half = 1.96 * self.variance.sqrt();
        ((self.expected - half).max(0.0), (self.expected + half).min(self.roots as f64))
    }

    /// The kept count, `None` when no root carried a `sampleRand`.
    pub fn kept(&self) -> Option<u64> {
        (self.with_rand > 0).then_some(self.kept)
    }
}

/// A simulation: the steps in precedence order, and the total.
pub struct Simulation {
    /// `(forced)`, each rule (the `genAi` rule first), `(parent)`, `(default)`.
    pub steps: Vec<Step>,
    /// Every root.
    pub total: Step,
    /// The first and last timestamp, when lines carry them.
    pub span: Option<(f64, f64)>,
    /// `(timestamp, rate, kept)` of each root with a timestamp, for the timeline.
    pub times: Vec<(f64, f64, bool)>,
    index: HashMap<String, usize>,
}

impl Simulation {
    /// An empty simulation of `sampler`'s steps.
    pub fn new(sampler: &Sampler) -> Self {
        let step = |id: &str, reason| Step { id: id.into(), reason, ..Step::default() };
        let mut steps = vec![step("(forced)", "forced")];
        for (id, _) in sampler.stats().traces.by_rule {
            let reason = if id == tracesieve::GEN_AI_RULE_ID { "genAi" } else { "rule" };
            steps.push(step(&id, reason));
        }
        steps.push(step("(parent)", "parent"));
        steps.push(step("(default)", "default"));
        let index = steps.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
        Simulation { steps, total: step("total", ""), span: None, times: Vec::new(), index }
    }

    /// The step index of a decision.
    pub fn step_of(&self, d: &Decision<'_>) -> usize {
        match (d.reason, d.rule_id) {
            (Reason::Forced, _) => 0,
            (Reason::Parent, _) => self.steps.len() - 2,
            (_, Some(id)) => self.index.get(id).copied().unwrap_or(self.steps.len() - 1),
            _ => self.steps.len() - 1,
        }
    }

    /// Counts one root's decision.
    pub fn add(&mut self, root: &Root, d: &Decision<'_>) {
        let i = self.step_of(d);
        self.steps[i].add(d);
        self.total.add(d);
        if let Some(t) = root.timestamp {
            self.span = Some(self.span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
            self.times.push((t, d.rate, d.sampled == Some(true)));
        }
    }

    /// Kept roots per second over the timestamps' span: `(expected, kept)`.
    pub fn per_second(&self) -> Option<(f64, Option<f64>)> {
        let (a, b) = self.span?;
        let secs = b - a;
        (secs > 0.0).then(|| (self.total.expected / secs, self.total.kept().map(|k| k as f64 / secs)))
    }

    /// The steps worth showing: rules always (a rule that decides nothing is news), the
    /// other steps when they decided something.
    pub fn shown(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(|s| s.roots > 0 || matches!(s.reason, "rule" | "genAi"))
    }
}

/// Runs `simulate`.
pub fn main(args: &[String], io: &mut dyn Io) -> i32 {
    let args = match Args::parse(args, &[], &["--format"], HELP, io) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if args.help {
        io.out(HELP);
        return OK;
    }
    let format = match args.choice("--format", &["table", "json", "html"], HELP, io) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let [policy, traffic] = args.positional.as_slice() else {
        return usage_error("simulate takes a policy file and a traffic file", HELP, io);
    };
    let sampler = match load::policy(policy, io) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let sim = match run(&sampler, traffic, io) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match format {
        "json" => io.out(&format!("{}\n", to_json(&sim))),
        "html" => io.out(&html::report(&sim, load::display(policy), load::display(traffic))),
        _ => io.out(&table::simulation(&sim)),
    }
    OK
}

/// Simulates `sampler` on the traffic file `path`.
pub fn run(sampler: &Sampler, path: &str, io: &mut dyn Io) -> Result<Simulation, i32> {
    let mut sim = Simulation::new(sampler);
    each_root(path, io, |root| {
        let d = context::decide(sampler, root.sdk, root.context(), root.sample_rand);
        sim.add(root, &d);
    })?;
    Ok(sim)
}

/// Calls `f` on every root of the traffic file `path`, with a progress bar on a terminal;
/// a bad line stops it with `file:line: ...` and [`USAGE`].
pub fn each_root(path: &str, io: &mut dyn Io, mut f: impl FnMut(&Root)) -> Result<(), i32> {
    let text = load::text(path, io)?;
    let progress = io.err_is_terminal() && text.len() > 16 << 20;
    let lines = if progress { text.bytes().filter(|b| *b == b'\n').count().max(1) } else { 1 };
    for root in traffic::roots(load::display(path), &text) {
        let root = root.map_err(|e| {
            io.err(&format!("tracesieve: {e}\n"));
            USAGE
        })?;
        f(&root);
        if progress && root.line % 100_000 == 0 {
            let pct = (root.line * 100 / lines).min(100);
            io.err(&format!("\rsimulating: line {} ({pct}%)", root.line));
        }
    }
    if progress {
        io.err("\r\x1b[K");
    }
    Ok(())
}

/// Rounds to 3 decimals, for counts that are sums of rates.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One step as JSON.
pub fn step_json(s: &Step) -> Json {
    let (lo, hi) = s.interval();
    json!({
        "id": s.id, "reason": s.reason, "roots": s.roots, "rate": s.rate,
        "expectedKept": round3(s.expected), "interval": [round3(lo), round3(hi)], "kept": s.kept(),
    })
}

/// `{"roots", "expectedKept", "interval", "kept", "steps", "perSecond", "perDay"}`.
pub fn to_json(sim: &Simulation) -> Json {
    let (lo, hi) = sim.total.interval();
    let mut out = json!({
        "roots": sim.total.roots, "expectedKept": round3(sim.total.expected),
        "interval": [round3(lo), round3(hi)], "kept": sim.total.kept(),
        "steps": sim.shown().map(step_json).collect::<Vec<_>>(),
    });
    if let Some((expected, kept)) = sim.per_second() {
        out["perSecond"] = json!({ "expectedKept": round3(expected), "kept": kept.map(round3) });
        out["perDay"] =
            json!({ "expectedKept": round3(expected * 86_400.0), "kept": kept.map(|k| round3(k * 86_400.0)) });
    }
    out
}
