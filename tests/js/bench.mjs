// `make bench-js`: per-decision cost of createTracesSampler against the seed's hand-written
// JS sampler on the same 10,000 SDK-shaped contexts, then Sentry.startSpan root-span
// throughput (stream mode) with each. Each backend is measured in a process of its own,
// interleaved with the hand-written sampler in that same process: an application loads one
// backend, and measuring both in one process would let one deoptimise the other's shared
// shim code.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { policy, traffic, samplingContext, seedSampler, seedPolicy, demoSampler } from './traffic.mjs';

const N = 10_000;
const ROOTS = 2000;
// Rounds of the startSpan comparison: `BENCH_ROUNDS=200 make bench-js` narrows its ratio.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const BACKENDS = {
  wasm: () => import('tracesieve'),
  native: () => import('tracesieve/native'),
  // The browser module (no policy compiler, built for size), loaded in Node, given the
  // policies compiled by the Node package: per-decision rows only (startSpan is Node's).
  browser: async () => ({ ...(await import('./browser-module.mjs')).browserWithCompiler, spans: false }),
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
  async function spansPerSecond(sampler) {
    current = sampler;
    const t0 = process.hrtime.bigint();
    for (const r of roots) Sentry.startNewTrace(() => Sentry.startSpan(r, () => {}));
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    await Sentry.flush(2000);
    return roots.length / dt;
  }
  const candidates = { hand: seedSampler, ours: lib.createTracesSampler(seedPolicy) };
  const spans = { hand: [], ours: [], ratio: [] };
  for (let w = 0; w < 3; w++) for (const s of Object.values(candidates)) await spansPerSecond(s);
  for (let round = 0; round < ROUNDS; round++) {
    // Back to back, alternating which goes first, so a ratio compares runs under the same load.
    const order = round % 2 ? ['ours', 'hand'] : ['hand', 'ours'];
    const r = {};
    for (const k of order) r[k] = await spansPerSecond(candidates[k]);
    spans.hand.push(r.hand);
    spans.ours.push(r.ours);
    spans.ratio.push(r.ours / r.hand);
  }
  const sorted = [...spans.ratio].sort((a, b) => a - b);
  const quartiles = [sorted[sorted.length >> 2], sorted[(3 * sorted.length) >> 2]];
  return { decisions, spans: { hand: median(spans.hand), ours: median(spans.ours), ratio: median(spans.ratio), quartiles } };
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
console.log(`\nSentry.startSpan root spans, stream mode (@sentry/node), ${ROOTS} roots x ${ROUNDS} rounds, medians; target >= 0.97`);
console.log('| backend | hand-written: root spans / s | createTracesSampler: root spans / s | ratio (median of per-round ratios) | per-round ratios, 25th-75th percentile |');
console.log('|---|---:|---:|---:|---:|');
for (const [backend, r] of Object.entries(results).filter(([, r]) => r.spans)) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  const [q1, q3] = r.spans.quartiles.map((q) => q.toFixed(3));
  console.log(`| ${backend} | ${n(r.spans.hand)} | ${n(r.spans.ours)} | ${r.spans.ratio.toFixed(3)} | ${q1}-${q3} |`);
}
