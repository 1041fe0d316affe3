// `make soak`: N decisions (default 10,000,000) on one backend, over the traffic and the
// hostile contexts of contexts.mjs, with an error event through beforeSend every 10th
// decision and an explain() every 100th. After a warm-up (the first tenth), memory must
// stay flat, measured after a full GC at each tenth: the wasm memory does not grow at all;
// the process RSS and the JS heap rise by less than RSS_BOUND over their lowest earlier
// value. Every decision must equal the one a fresh sampler gave for the same context, and
// the counters must equal the sum of each context's counts. Prints the figures; exits 1 on
// a breach.
//
// Usage: node soak.mjs <wasm|native> [decisions]

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { contexts, events, policy } from '../../tests/js/contexts.mjs';

const RSS_BOUND = 1 << 20;
const [backend = 'wasm', decisions = '10000000'] = process.argv.slice(2);
const N = Number(decisions);
const failures = [];
const fail = (message) => failures.push(message);

// glibc keeps memory that was freed in its arenas and hands it back in steps: with its
// defaults the RSS of this loop moves by up to ~3 MB in 512 KiB steps and levels off (no
// leak). With these settings it hands freed memory back at once, so the RSS counts what is
// live; the script reruns itself with them.
const TUNABLES = 'glibc.malloc.trim_threshold=0:glibc.malloc.top_pad=0:glibc.malloc.arena_max=1';
if (process.env.GLIBC_TUNABLES !== TUNABLES) {
  const env = { ...process.env, GLIBC_TUNABLES: TUNABLES };
  const run = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.exit(run.status ?? 1);
}
if (!['wasm', 'native', 'browser'].includes(backend) || !(N >= 10)) {
  throw new Error('usage: soak.mjs <wasm|native|browser> [decisions >= 10]');
}
const browser = backend === 'browser' ? await import('../../tests/js/browser-module.mjs') : null;
const lib = browser ? browser.browserWithCompiler : backend === 'wasm' ? await import('tracesieve') : await import('tracesieve/native');
if (lib.backend !== (browser ? 'wasm' : backend)) throw new Error(`asked for ${backend}, loaded ${lib.backend}`);
// The wasm-bindgen module the package loaded (the same CommonJS instance, by path).
const memory = browser
  ? browser.browserMemory
  : backend === 'wasm'
    ? createRequire(import.meta.url)(fileURLToPath(new URL('../../pkg/wasm/node/tracesieve_wasm.js', import.meta.url))).wasmMemory()
    : null;

/** Stats as a flat map: `traces.byReason.parent` -> n. */
function flat(stats, prefix = '', out = new Map()) {
  for (const [k, v] of Object.entries(stats)) {
    if (typeof v === 'number') out.set(prefix + k, v);
    else flat(v, `${prefix}${k}.`, out);
  }
  return out;
}

// What each context decides and counts, from a sampler that sees it once.
const ctxs = contexts();
const evs = events();
const reference = lib.createTracesSampler(policy);
const referenceErrors = lib.createBeforeSend(policy);
const want = [];
const counts = [];
for (const ctx of ctxs) {
  const before = flat(reference.stats());
  want.push(reference(ctx));
  counts.push([...flat(reference.stats())].map(([k, v]) => [k, v - before.get(k)]).filter(([, d]) => d !== 0));
}
const errorCounts = evs.map(([event, hint]) => {
  const before = flat(referenceErrors.stats());
  referenceErrors(event, hint);
  return [...flat(referenceErrors.stats())].map(([k, v]) => [k, v - before.get(k)]).filter(([, d]) => d !== 0);
});

const sampler = lib.createTracesSampler(policy);
const beforeSend = lib.createBeforeSend(policy);
const uses = new Float64Array(ctxs.length); // how often each context was decided
const errorUses = new Float64Array(evs.length);
const mb = (bytes) => (bytes / 2 ** 20).toFixed(2);

function measure() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external, wasm: memory ? memory.buffer.byteLength : 0 };
}

console.log(`soak ${backend}: ${N.toLocaleString('en')} decisions over ${ctxs.length} contexts, ` +
  `an error event every 10th (${evs.length} events), explain() every 100th`);
console.log('  decisions      rss MB   heap MB  external MB  wasm memory bytes');
const step = Math.floor(N / 10);
const started = process.hrtime.bigint();
// Growth after the warm-up: the largest rise of a figure over its lowest earlier value
// (from the checkpoint that ends the warm-up on), so a high first reading hides nothing.
const low = { rss: Infinity, heap: Infinity, wasm: Infinity };
const worst = { rss: 0, heap: 0, wasm: 0 };
let firstWasm = 0;
let wrong = 0;
let i = 0;
let e = 0;
for (let done = 0; done < N;) {
  const until = Math.min(N, done + step);
  for (; done < until; done++) {
    const rate = sampler(ctxs[i]);
    if (rate !== want[i]) wrong++;
    uses[i]++;
    if (done % 10 === 0) {
      beforeSend(evs[e][0], evs[e][1]);
      errorUses[e]++;
      if (++e === evs.length) e = 0;
    }
    if (done % 100 === 0) sampler.explain(ctxs[i]);
    if (++i === ctxs.length) i = 0;
  }
  const m = measure();
  if (done === step) firstWasm = m.wasm;
  for (const k of Object.keys(worst)) {
    worst[k] = Math.max(worst[k], m[k] - low[k]);
    low[k] = Math.min(low[k], m[k]);
  }
  console.log(`  ${done.toLocaleString('en').padStart(10)}  ${mb(m.rss).padStart(9)} ${mb(m.heap).padStart(9)} ` +
    `${mb(m.external).padStart(12)}  ${String(m.wasm).padStart(17)}`);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

// The counters of both samplers (trace decisions and error events), and what the uses of
// each context and event add up to.
const got = flat(sampler.stats());
for (const [k, v] of flat(beforeSend.stats())) got.set(k, got.get(k) + v);
const expected = new Map([...got.keys()].map((k) => [k, 0]));
const tally = (list, n) => list.forEach((deltas, j) => deltas.forEach(([k, d]) => expected.set(k, expected.get(k) + d * n[j])));
tally(counts, uses);
tally(errorCounts, errorUses);
for (const [k, v] of expected) if (got.get(k) !== v) fail(`counter ${k}: ${got.get(k)}, expected ${v}`);
if (got.get('traces.total') !== N) fail(`traces.total ${got.get('traces.total')}, expected ${N}`);
if (wrong !== 0) fail(`${wrong} decisions differ from the reference sampler's`);
if (worst.wasm !== 0) fail(`wasm memory grew by ${worst.wasm} bytes after the warm-up (bound: 0)`);
if (worst.rss >= RSS_BOUND) fail(`RSS grew by ${worst.rss} bytes after the warm-up (bound: < ${RSS_BOUND})`);
if (worst.heap >= RSS_BOUND) fail(`the JS heap grew by ${worst.heap} bytes after the warm-up (bound: < ${RSS_BOUND})`);

console.log(`soak ${backend}: ${seconds.toFixed(1)} s, ${(seconds * 1e9 / N).toFixed(0)} ns per decision (with the checks); ` +
  `after the warm-up: RSS grew at most ${worst.rss} bytes (bound < 1 MiB), JS heap ${worst.heap} bytes (bound < 1 MiB), ` +
  `wasm memory ${memory ? `${worst.wasm} bytes (bound 0; ${firstWasm} bytes in all)` : 'n/a'}; ` +
  `${got.get('fallbacks').toLocaleString('en')} fallbacks, ${got.get('errors.total').toLocaleString('en')} error events, counters exact`);
if (failures.length > 0) {
  for (const f of failures) console.error(`soak ${backend} FAILED: ${f}`);
  process.exit(1);
}
