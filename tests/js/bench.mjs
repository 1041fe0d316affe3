// `make bench-js`: per-decision cost of createTracesSampler (each backend) against the
// seed's hand-written JS sampler, in one process on the same 10,000 SDK-shaped contexts;
// then Sentry.startSpan root-span throughput (stream mode) with each sampler.

import * as wasm from 'tracesieve';
import * as native from 'tracesieve/native';
import { policy, traffic, samplingContext, seedSampler, seedPolicy, demoSampler } from './traffic.mjs';

const N = 10_000;
const contexts = Array.from({ length: N }, (_, i) => samplingContext(traffic[i % traffic.length]));

/** Median ns per decision over `rounds` passes over every context. */
function perDecision(fn, rounds = 31) {
  let sink = 0;
  for (let w = 0; w < 5; w++) for (let i = 0; i < N; i++) sink += fn(contexts[i]);
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += fn(contexts[i]);
    times.push(Number(process.hrtime.bigint() - t0) / N);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable');
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

export function decisionTable() {
  const rows = [];
  for (const [label, hand, pol] of [
    ['seed (HTTP routes)', seedSampler, seedPolicy],
    ['seed + demo routes (examples/policy.json)', demoSampler, policy],
  ]) {
    const samplers = { wasm: wasm.createTracesSampler(pol), native: native.createTracesSampler(pol) };
    for (const c of contexts) {
      if (samplers.wasm(c) !== samplers.native(c)) throw new Error('backends disagree');
    }
    // Interleave the measurements so that each gets the same machine state.
    const t = { hand: [], wasm: [], native: [] };
    for (let k = 0; k < 3; k++) {
      t.hand.push(perDecision(hand));
      t.wasm.push(perDecision(samplers.wasm));
      t.native.push(perDecision(samplers.native));
    }
    const best = (xs) => Math.min(...xs);
    rows.push({ label, hand: best(t.hand), wasm: best(t.wasm), native: best(t.native) });
  }
  return rows;
}

const rows = decisionTable();
console.log(`per decision, ${N} SDK-shaped contexts (Node ${process.version}); targets: <= 10x hand-written and < 300 ns`);
console.log('| policy | hand-written | wasm | wasm / hand | native | native / hand |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const f = (x) => `${x.toFixed(1)} ns`;
  console.log(`| ${r.label} | ${f(r.hand)} | ${f(r.wasm)} | ${(r.wasm / r.hand).toFixed(1)}x | ${f(r.native)} | ${(r.native / r.hand).toFixed(1)}x |`);
}

if (process.env.BENCH_DECISIONS_ONLY) process.exit(0);

// Sentry.startSpan root spans (stream mode, @sentry/node), with each sampler in turn: the
// same SDK, the same roots; throughput relative to the hand-written sampler.
const Sentry = await import('@sentry/node');
let current = seedSampler;
Sentry.init({
  dsn: 'http://public@127.0.0.1:9/1',
  defaultIntegrations: false,
  traceLifecycle: 'stream',
  tracesSampler: (ctx) => current(ctx),
  transport: () => ({ send: async () => ({ statusCode: 200 }), flush: async () => true }),
});
const roots = traffic.slice(0, 2000).map((line) => {
  const c = samplingContext(line);
  const { 'sentry.op': op, ...attributes } = c.attributes;
  return { name: c.name, op, attributes };
});

async function spansPerSecond(sampler) {
  current = sampler;
  const t0 = process.hrtime.bigint();
  for (const r of roots) Sentry.startNewTrace(() => Sentry.startSpan(r, () => {}));
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  await Sentry.flush(2000);
  return roots.length / dt;
}

const candidates = { hand: seedSampler, wasm: wasm.createTracesSampler(seedPolicy), native: native.createTracesSampler(seedPolicy) };
const rates = { hand: [], wasm: [], native: [] };
const ratios = { hand: [], wasm: [], native: [] };
const ROUNDS = 30;
for (let w = 0; w < 3; w++) for (const s of Object.values(candidates)) await spansPerSecond(s);
for (let round = 0; round < ROUNDS; round++) {
  // Each round measures every sampler back to back (in a rotating order), so a ratio
  // compares runs made under the same machine load.
  const keys = Object.keys(candidates);
  const order = keys.slice(round % keys.length).concat(keys.slice(0, round % keys.length));
  const r = {};
  for (const k of order) r[k] = await spansPerSecond(candidates[k]);
  for (const k of keys) {
    rates[k].push(r[k]);
    ratios[k].push(r[k] / r.hand);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`\nSentry.startSpan root spans, stream mode (@sentry/node), ${roots.length} roots x ${ROUNDS} rounds, medians; target >= 0.97`);
console.log('| sampler | root spans / s | vs hand-written (median of per-round ratios) |');
console.log('|---|---:|---:|');
for (const k of Object.keys(candidates)) {
  console.log(`| ${k === 'hand' ? 'hand-written (seed)' : `createTracesSampler, ${k}`} | ${Math.round(median(rates[k])).toLocaleString('en-US')} | ${median(ratios[k]).toFixed(3)} |`);
}
