// Every case of tests/vectors/*.json on both backends and the browser module, through the
// package: the same answers as the Rust runner, case for case.
//
// JS-shaped cases (`"sdk": "js"`) go through the public API (createTracesSampler and its
// explain and stats, createBeforeSend); the other shapes go through the same read plan,
// wire and engine with the core adapter the case names, through the shim's `conformance`
// hooks (pkg/dist/shim.cjs, imported by path: no entry point of the package exports them).
// The shipped wasm module carries only the JS shape, so for wasm those go through the
// test-only module `make build-js` builds with the `conformance` feature: the same crates
// and the same shim, plus the two adapters.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import * as wasm from 'tracesieve';
import * as native from 'tracesieve/native';

import { browserModule as liteApi, browserWithCompiler as lite } from './browser-module.mjs';

const require = createRequire(import.meta.url);
const { api, conformance, nativeBackend, wasmBackend } = require('../../pkg/dist/shim.cjs');
const conformanceWasm = wasmBackend(require('../../target/wasm-conformance/tracesieve_wasm.js'));
const wasmShapes = conformance(conformanceWasm);
const nativeAddon = require('../../pkg/src/platform.cjs').nativeAddon();
const nativeShapes = conformance(nativeBackend(require(`../../pkg/native/${nativeAddon.file}`)));

// The browser module (no policy compiler), given each policy as compiled by the Node
// package; the other shapes through the conformance module, compiled then loaded.
const compiledShapes = { vectors: (policy, shape) => wasmShapes.vectors(wasmShapes.compile(policy, shape)) };

const jsonIn = (dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => new URL(f, dir));
// tests/vectors/*.json, and the files in TRACESIEVE_EXTRA_VECTORS (`:`-separated; `make
// test` passes the generated differential cases this way).
const files = jsonIn(new URL('../vectors/', import.meta.url))
  .concat((process.env.TRACESIEVE_EXTRA_VECTORS ?? '').split(':').filter(Boolean).map((p) => pathToFileURL(resolve('../..', p))));

function policyText(doc, c) {
  if ('policyText' in c) return c.policyText;
  if ('policyRef' in c) return JSON.stringify(doc.policies[c.policyRef]);
  return JSON.stringify(c.policy);
}

// The Rust-shaped cases in the canonical shape, as the core's Rust SDK adapter reads them
// (`make rust-canonical` writes them): by vector file, then case name.
const rustCanonical = JSON.parse(readFileSync(process.env.TRACESIEVE_RUST_CANONICAL ?? '../../target/differential/rust-canonical.json', 'utf8'));

/** What a case decides: [rate, reason, ruleId, sampled]. */
function decide(lib, shapes, text, c, file) {
  const kind = c.kind ?? 'trace';
  const rand = c.sampleRand;
  let ctx = c.context;
  let rate;
  let x;
  if (c.sdk === 'js' && kind === 'trace') {
    const sampler = lib.createTracesSampler(text);
    rate = sampler(ctx);
    x = sampler.explain(ctx);
    assert.equal(sampler.stats().traces.total, 1, 'explain() does not count');
  } else if (c.sdk === 'js') {
    const beforeSend = lib.createBeforeSend(text);
    x = beforeSend.explain(ctx?.event, ctx?.hint);
    rate = x.rate;
    if (x.sampled !== null) {
      const kept = beforeSend(ctx.event, ctx.hint);
      assert.equal(kept === ctx.event, x.sampled, 'beforeSend keeps exactly the sampled events');
    }
  } else {
    let shape = c.sdk ?? 'canonical';
    if (shape === 'rust') {
      ctx = rustCanonical[file]?.[c.name];
      assert.ok(ctx, `no canonical projection of ${file}: ${c.name} (make rust-canonical)`);
      shape = 'canonical';
    }
    if (shape === 'canonical' && rand !== undefined && ctx && typeof ctx === 'object') ctx = { ...ctx, sampleRand: rand };
    const engine = shapes.vectors(text, shape);
    x = engine.explain(ctx, kind === 'error');
    rate = kind === 'error' ? x.rate : engine.decide(ctx);
  }
  // Where the context does not carry the trace's sample_rand, the SDK compares it.
  const sampled = x.sampled ?? (rand === undefined ? null : rand >= 0 && rand <= 1 ? rand < rate : null);
  return [rate, x.reason, x.ruleId ?? null, sampled];
}

let cases = 0;
for (const url of files) {
  const file = url.pathname.split('/').pop();
  const doc = JSON.parse(readFileSync(url, 'utf8'));
  for (const c of doc.cases) {
    cases++;
    const backends = [['wasm', wasm, wasmShapes], ['native', native, nativeShapes], ['browser', lite, compiledShapes]];
    for (const [backend, lib, shapes] of backends) {
      test(`${backend} ${file}: ${c.name}`, () => {
        const text = policyText(doc, c);
        if ('expectError' in c) {
          assert.throws(
            () => lib.createTracesSampler(text),
            (e) => {
              assert.ok(e instanceof lib.PolicyError && e instanceof Error, `a PolicyError, got ${e}`);
              assert.equal(e.name, 'PolicyError');
              assert.ok(e.message.includes(c.expectError), `${JSON.stringify(e.message)} contains ${JSON.stringify(c.expectError)}`);
              assert.ok(e.problems.length > 0 && e.problems.every((p) => typeof p.path === 'string' && p.message));
              return true;
            },
          );
          return;
        }
        const [rate, reason, ruleId, sampled] = decide(lib, shapes, text, c, file);
        const e = c.expect;
        assert.deepEqual({ rate, reason, ruleId }, { rate: e.rate, reason: e.reason, ruleId: e.ruleId ?? null });
        if ('sampled' in e) assert.equal(sampled, e.sampled);
      });
    }
  }
}

test('every vector file is run, and both backends are what they say', () => {
  assert.ok(files.length >= 10, `${files.length} vector files`);
  // The same floor in every runner (tests/rust/vectors.rs, tests/python/test_vectors.py).
  assert.ok(cases >= 800, `${cases} cases: the corpus must keep at least 800`);
  assert.equal(wasm.backend, 'wasm');
  assert.equal(native.backend, 'native');
  assert.equal(api(conformanceWasm).version, wasm.version);
});

test('the browser module loads compiled policies only, with the same answers', () => {
  assert.equal(lite.backend, 'wasm');
  assert.equal(liteApi.version, wasm.version);
  assert.throws(() => liteApi.createTracesSampler('{"defaultRate": 1}'), /loads compiled policies only/);
  assert.throws(() => liteApi.compilePolicy('{"defaultRate": 1}'), /loads compiled policies only/);
  const compiled = native.compilePolicy('{"defaultRate": 0.5, "rules": [{"id": "h", "when": {"path": "/h"}, "rate": 0}]}');
  assert.deepEqual(compiled, wasm.compilePolicy(compiled), 'both backends write the same bytes');
  assert.equal(liteApi.createTracesSampler(compiled)({ name: 'GET /h' }), 0);
  assert.equal(liteApi.createTracesSampler(compiled)({ name: 'GET /x' }), 0.5);
  // The bytes themselves, in every form a fetch or a bundler gives them.
  const bytes = Buffer.from(compiled.compiled, 'base64');
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length));
  shared.set(bytes);
  const offset = new Uint8Array(bytes.length + 3);
  offset.set(bytes, 3);
  const forms = [bytes, new Uint8Array(bytes).buffer, shared.buffer, shared, offset.subarray(3), new DataView(offset.buffer, 3)];
  for (const form of forms) assert.equal(liteApi.createTracesSampler(form)({ name: 'GET /h' }), 0, String(form));
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  assert.throws(() => liteApi.createTracesSampler(detached), (e) => e instanceof liteApi.PolicyError);
  assert.throws(() => liteApi.createTracesSampler(new Uint8Array(8)), /is not a compiled tracesieve policy/);
});

test('the shipped wasm module decides JS-shaped contexts only', () => {
  const shipped = conformance(wasmBackend(require('../../pkg/wasm/node/tracesieve_wasm.js')));
  assert.throws(() => shipped.vectors('{"defaultRate": 1}', 'python'), /no context shape "python" in this build/);
  assert.equal(wasmShapes.vectors('{"defaultRate": 1}', 'python').decide({}), 1);
});

test('no entry point of the package exports a test hook (a `_`-prefixed name)', async () => {
  const entries = { 'tracesieve': wasm, 'tracesieve/native': native, 'tracesieve (CommonJS)': require('tracesieve') };
  entries['tracesieve/native (CommonJS)'] = require('tracesieve/native');
  // The web entries load a wasm module asynchronously; their names are there before that.
  for (const spec of ['full.js', 'browser.js']) entries[spec] = await import(`../../pkg/src/${spec}`);
  for (const [name, lib] of Object.entries(entries)) {
    const hooks = Object.keys(lib).filter((k) => k.startsWith('_'));
    assert.deepEqual(hooks, [], `${name} exports ${hooks.join(', ')}`);
  }
  const types = readFileSync(new URL('../../pkg/index.d.ts', import.meta.url), 'utf8');
  assert.doesNotMatch(types, /export declare (function|const|class) _/, 'index.d.ts declares no `_` name');
});
