// Node worker_threads: 4 workers, each with its own samplers (a JavaScript sampler cannot
// be shared across isolates) built from the same policy on both backends, decide their
// slice of the same contexts at the same time. Proves that each backend loads and decides
// in worker threads (the native addon in every worker, not the wasm fallback), that every
// worker decides exactly as the main thread does, and that the counters of the workers
// sum exactly to the single-threaded counts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as wasm from 'tracesieve';
import * as native from 'tracesieve/native';
import { contexts, events, policy } from './contexts.mjs';

const WORKERS = 4;
const ROUNDS = 50; // each context is decided this many times, so that the workers overlap
const libs = { wasm, native };

/** Decides contexts[from, to) and the error events ROUNDS times; the rates of round 0 and both stats. */
function run(lib, from, to) {
  const ctxs = contexts().slice(from, to);
  const evs = events();
  const sampler = lib.createTracesSampler(policy);
  const beforeSend = lib.createBeforeSend(policy);
  const rates = [];
  const kept = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const ctx of ctxs) {
      const rate = sampler(ctx);
      if (round === 0) rates.push(rate);
    }
    // The events are split between the slices the same way: event j goes with slice j % WORKERS.
    for (let j = 0; j < evs.length; j++) {
      if (from === 0 && to === Infinity) {
        const out = beforeSend(...evs[j]);
        if (round === 0) kept.push(out === evs[j][0]);
      } else if (j % WORKERS === workerData.index) {
        const out = beforeSend(...evs[j]);
        if (round === 0) kept.push([j, out === evs[j][0]]);
      }
    }
  }
  return { backend: lib.backend, rates, kept, traces: sampler.stats(), errors: beforeSend.stats() };
}

if (!isMainThread) {
  // A worker: wait until every worker is ready, then decide its slice on both backends.
  const { from, to, go } = workerData;
  const flag = new Int32Array(go);
  Atomics.add(flag, 1, 1);
  Atomics.wait(flag, 0, 0);
  parentPort.postMessage({ wasm: run(wasm, from, to), native: run(native, from, to) });
} else {
  /** Adds every number of `b` into `a`, key by key (stats objects). */
  const add = (a, b) => {
    for (const [k, v] of Object.entries(b)) {
      if (typeof v === 'number') a[k] = (a[k] ?? 0) + v;
      else add((a[k] ??= {}), v);
    }
    return a;
  };

  test('4 worker threads decide like the main thread, and their counters sum exactly', async () => {
    const all = contexts().length;
    const single = Object.fromEntries(Object.entries(libs).map(([name, lib]) => [name, run(lib, 0, Infinity)]));
    const go = new SharedArrayBuffer(8);
    const flag = new Int32Array(go);
    const size = Math.ceil(all / WORKERS);
    const results = Array.from({ length: WORKERS }, (_, index) => {
      const from = index * size;
      const to = Math.min(all, from + size);
      const worker = new Worker(new URL(import.meta.url), { workerData: { index, from, to, go } });
      return new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`worker ${index} exited with ${code}`)));
      });
    });
    // Start them together once all are waiting.
    while (Atomics.load(flag, 1) < WORKERS) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    const parts = await Promise.all(results);

    for (const name of Object.keys(libs)) {
      const mine = single[name];
      const theirs = parts.map((p) => p[name]);
      // Each worker really ran this backend (tracesieve/native would fall back to wasm silently).
      assert.deepEqual(theirs.map((t) => t.backend), Array(WORKERS).fill(name));
      // Decision for decision, the workers' slices are the main thread's list.
      const rates = theirs.flatMap((t) => t.rates);
      assert.equal(rates.length, all);
      for (let i = 0; i < all; i++) assert.equal(rates[i], mine.rates[i], `${name}: context ${i}`);
      const kept = theirs.flatMap((t) => t.kept).sort((a, b) => a[0] - b[0]).map(([, k]) => k);
      assert.deepEqual(kept, mine.kept, `${name}: beforeSend kept the same events`);
      // Counters: every reason, rule and fallback of the 4 workers sums to the single-threaded count.
      const summedTraces = theirs.reduce((acc, t) => add(acc, t.traces.traces), {});
      const summedFallbacks = theirs.reduce((acc, t) => acc + t.traces.fallbacks, 0);
      const summedErrors = theirs.reduce((acc, t) => add(acc, t.errors.errors), {});
      assert.deepEqual(summedTraces, mine.traces.traces, `${name}: trace counters`);
      assert.equal(summedFallbacks, mine.traces.fallbacks, `${name}: fallbacks`);
      assert.deepEqual(summedErrors, mine.errors.errors, `${name}: error counters`);
      // The totals are what was asked: nothing lost, nothing counted twice.
      assert.equal(mine.traces.traces.total, ROUNDS * all);
      assert.equal(mine.errors.errors.total, ROUNDS * events().length);
      assert.ok(mine.traces.fallbacks >= ROUNDS * 10, `${name}: the hostile contexts fell back`);
    }
  });
}
