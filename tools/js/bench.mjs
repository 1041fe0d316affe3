// `make bench-js`: per-decision cost of createTracesSampler against the seed's hand-written
// JS sampler on the same 10,000 SDK-shaped contexts, then Sentry.startSpan root-span
// throughput (stream mode) with each. Each backend is measured in a process of its own,
// interleaved with the hand-written sampler in that same process: an application loads one
// backend, and measuring both in one process would let one deoptimise the other's shared
// shim code.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { policy, traffic, samplingContext, seedSampler, seedPolicy, demoSampler } from '../../tests/js/traffic.mjs';

const N = 10_000;
const ROOTS = 2000;
// Rounds of the startSpan comparison. Per-round ratios spread over about 0.12 (their
// interquartile range on this VM), so a median of 150 is good to about +-0.01, one of 30 to
// about +-0.02-0.03: `BENCH_ROUNDS=30 make bench-js` for a quick look.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 150);
const BACKENDS = {
  wasm: () => import('tracesieve'),
  native: () => import('tracesieve/native'),
  // The browser module (no policy compiler, built for size), loaded in Node, given the
  // policies compiled by the Node package: per-decision rows only (startSpan is Node's).
  browser: async () => ({ ...(await import('../../tests/js/browser-module.mjs')).browserWithCompiler, spans: false }),
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median ns per decision over `rounds` passes over every context. */
function perDecision(fn, contexts, rounds = 31) {
  let sink = 0;
  for (let w = 0; w < 5; w++) for (let i = 0; i < N; i++) sink += fn(contexts[i]);
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += fn(contexts[i]);
    times.push(Number(process.hrtime.bigint() - t0) / N);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return median(times);
}

/**
 * The sampling contexts @sentry/node itself passes to `tracesSampler` for `roots`
 * (`Sentry.startSpan` root spans): objects the SDK builds per span (each with a hidden
 * class of its own, and `inheritOrSampleWith` calling back into the SDK).
 */
function captureSdkContexts(Sentry, setSampler, roots) {
  const captured = [];
  setSampler((ctx) => {
    captured.push(ctx);
    return 0;
  });
  for (const r of roots) Sentry.startNewTrace(() => Sentry.startSpan(r, () => {}));
  return captured;
}

/**
 * Median ns per decision of `hand` and of `createTracesSampler(pol)` over `ctxs`, after
 * checking that they agree: interleaved, so that each gets the same machine state; the
 * best of three medians.
 */
function compare(lib, backend, [label, hand, pol, ctxs]) {
  const sampler = lib.createTracesSampler(pol);
  for (const c of ctxs) if (sampler(c) !== hand(c)) throw new Error(`${backend} differs from ${label}`);
  const t = { hand: [], ours: [] };
  for (let k = 0; k < 3; k++) {
    t.hand.push(perDecision(hand, ctxs));
    t.ours.push(perDecision(sampler, ctxs));
  }
  return { label, hand: Math.min(...t.hand), ours: Math.min(...t.ours) };
}

/**
 * One backend, in this process: decisions per policy on SDK-shaped contexts (before the
 * SDK runs, so that nothing else has warmed or polluted the engine's state), then on the
 * contexts @sentry/node itself builds, then startSpan throughput.
 */
async function measure(backend) {
  const lib = await BACKENDS[backend]();
  const contexts = Array.from({ length: N }, (_, i) => samplingContext(traffic[i % traffic.length]));
  const decisions = [
    compare(lib, backend, ['seed (HTTP routes)', seedSampler, seedPolicy, contexts]),
    compare(lib, backend, ['seed + demo routes (examples/policy.json)', demoSampler, policy, contexts]),
  ];

  const Sentry = await import('@sentry/node');
  let current = seedSampler;
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    defaultIntegrations: false,
    traceLifecycle: 'stream',
    tracesSampler: (ctx) => current(ctx),
    transport: () => ({ send: async () => ({ statusCode: 200 }), flush: async () => true }),
  });
  const asRoot = (line) => {
    const c = samplingContext(line);
    const { 'sentry.op': op, ...attributes } = c.attributes;
    return { name: c.name, op, attributes };
  };
  const sdkContexts = captureSdkContexts(Sentry, (s) => (current = s), contexts.map((_, i) => asRoot(traffic[i % traffic.length])));
  await Sentry.flush(2000);
  decisions.push(
    compare(lib, backend, ['seed (HTTP routes), contexts captured from @sentry/node', seedSampler, seedPolicy, sdkContexts]),
  );

  if (lib.spans === false) return { decisions, spans: null };
  const roots = traffic.slice(0, ROOTS).map(asRoot);
  const random = Math.random;
  /** Root spans per second with `sampler`, and how many of the roots it kept. */
  async function spansPerSecond(sampler, seed) {
    current = sampler;
    // Common random numbers: both samplers of a round see the same Math.random sequence,
    // so the SDK draws the same sample_rand for each root and, the rates being equal, keeps
    // the same roots. Else the ratio would measure the sampling too (400 +- 18 of 2,000
    // roots kept per round at 0.2, and a kept root costs far more than a dropped one).
    Math.random = mulberry32(seed);
    let kept = 0;
    let dt;
    try {
      const t0 = process.hrtime.bigint();
      for (const r of roots) Sentry.startNewTrace(() => Sentry.startSpan(r, (span) => (kept += span.isRecording())));
      dt = Number(process.hrtime.bigint() - t0) / 1e9;
    } finally {
      Math.random = random;
    }
    await Sentry.flush(2000);
    return { rate: roots.length / dt, kept };
  }
  const handAgain = (ctx) => seedSampler(ctx);
  const pairs = {
    ours: { hand: seedSampler, ours: lib.createTracesSampler(seedPolicy) },
    // The harness's own floor: the hand-written sampler against a wrapper of itself.
    ...(backend === 'wasm' ? { 'A/A': { hand: seedSampler, ours: handAgain } } : {}),
  };
  const spans = {};
  for (const [label, candidates] of Object.entries(pairs)) {
    for (let w = 0; w < 3; w++) for (const s of Object.values(candidates)) await spansPerSecond(s, w);
    const runs = { hand: [], ours: [], ratio: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Back to back, alternating which goes first, so a ratio compares runs under the same load.
      const order = round % 2 ? ['ours', 'hand'] : ['hand', 'ours'];
      const r = {};
      for (const k of order) r[k] = await spansPerSecond(candidates[k], 1000 + round);
      if (r.hand.kept !== r.ours.kept) throw new Error(`${label}: round ${round} kept ${r.hand.kept} and ${r.ours.kept} roots`);
      runs.hand.push(r.hand.rate);
      runs.ours.push(r.ours.rate);
      runs.ratio.push(r.ours.rate / r.hand.rate);
    }
    const sorted = [...runs.ratio].sort((a, b) => a - b);
    const quartiles = [sorted[sorted.length >> 2], sorted[(3 * sorted.length) >> 2]];
    spans[label] = { hand: median(runs.hand), ours: median(runs.ours), ratio: median(runs.ratio), quartiles };
  }
  return { decisions, spans };
}

/** A seeded generator of numbers in [0, 1) (mulberry32), in Math.random's place. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (process.env.BENCH_BACKEND) {
  console.log(JSON.stringify(await measure(process.env.BENCH_BACKEND)));
  process.exit(0);
}

const results = {};
for (const backend of Object.keys(BACKENDS)) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_BACKEND: backend },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`the ${backend} benchmark failed`);
  results[backend] = JSON.parse(child.stdout.trim().split('\n').pop());
}

const f = (x) => `${x.toFixed(1)} ns`;
console.log(`per decision, ${N} SDK-shaped contexts (plain objects; and the objects @sentry/node builds for the same roots) (Node ${process.version}), each backend in its own process with the hand-written sampler; targets: <= 10x hand-written and < 300 ns`);
console.log('| policy | backend | hand-written | createTracesSampler | ratio |');
console.log('|---|---|---:|---:|---:|');
for (const [backend, r] of Object.entries(results)) {
  for (const d of r.decisions) console.log(`| ${d.label} | ${backend} | ${f(d.hand)} | ${f(d.ours)} | ${(d.ours / d.hand).toFixed(1)}x |`);
}
console.log(`\nSentry.startSpan root spans, stream mode (@sentry/node), ${ROOTS} roots x ${ROUNDS} rounds, both samplers of a round on the same random numbers (so they keep the same roots), medians; target >= 0.97`);
console.log('| backend | hand-written: root spans / s | createTracesSampler: root spans / s | ratio (median of per-round ratios) | per-round ratios, 25th-75th percentile |');
console.log('|---|---:|---:|---:|---:|');
for (const [backend, r] of Object.entries(results).filter(([, r]) => r.spans)) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  for (const [label, s] of Object.entries(r.spans)) {
    const [q1, q3] = s.quartiles.map((q) => q.toFixed(3));
    const name = label === 'ours' ? backend : 'A/A: hand-written vs a wrapper of itself (the harness floor)';
    console.log(`| ${name} | ${n(s.hand)} | ${n(s.ours)} | ${s.ratio.toFixed(3)} | ${q1}-${q3} |`);
  }
}
