// The package API on both backends: policies as objects and text, PolicyError, explain and
// stats, beforeSend, CommonJS and ESM, one version, and hostile sampling contexts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as wasm from 'tracesieve';
import * as native from 'tracesieve/native';
import { policy } from './traffic.mjs';

const require = createRequire(import.meta.url);
const backends = [['wasm', wasm], ['native', native]];
const http = (path, extra = {}) => ({
  name: `GET ${path}`,
  attributes: { 'sentry.op': 'http.server', 'url.path': path, 'http.request.method': 'GET' },
  ...extra,
});

test('one version: package.json equals the workspace version and both backends report it', () => {
  const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8');
  const workspace = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(cargo)[1];
  const pkg = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.version, workspace);
  assert.equal(wasm.version, workspace);
  assert.equal(native.version, workspace);
});

test('tracesieve/native falls back to wasm where the native addon cannot load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tracesieve-'));
  const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
  for (const sub of ['src', 'dist', 'wasm', 'package.json']) cpSync(join(pkg, sub), join(dir, sub), { recursive: true });
  const lib = require(join(dir, 'src', 'native.cjs'));
  assert.equal(lib.backend, 'wasm');
  assert.equal(lib.createTracesSampler(policy)(http('/healthz')), 0);
  rmSync(dir, { recursive: true, force: true });
});

test('copies of the shim over one native addon, and a second load of it, keep their samplers apart', () => {
  // Two copies of the package's JavaScript (installed twice, say), and a second exports
  // object of the same addon file (a module cache reset): one library in one thread.
  const dir = mkdtempSync(join(tmpdir(), 'tracesieve-'));
  try {
    const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
    for (const sub of ['src', 'dist', 'package.json']) cpSync(join(pkg, sub), join(dir, sub), { recursive: true });
    const { api, nativeBackend } = require(join(dir, 'dist', 'shim.cjs'));
    const addonPath = join(pkg, 'native', require(join(pkg, 'src', 'platform.cjs')).nativeAddon().file);
    const copy = api(nativeBackend(require(addonPath)));
    delete require.cache[require.resolve(addonPath)];
    const reloaded = require(addonPath);
    const again = api(nativeBackend(reloaded));
    assert.equal(copy.backend, 'native');
    const samplers = [
      [native.createTracesSampler(policy), 0, 0.5],
      [copy.createTracesSampler({ defaultRate: 0.3, genAi: false }), 0.3, 0.3],
      [again.createTracesSampler({ defaultRate: 0.7, genAi: false, rules: [{ when: { path: '/health*' }, rate: 0.1 }] }), 0.1, 0.7],
    ];
    for (let i = 0; i < 3; i++) {
      for (const [s, health, payment] of samplers) {
        assert.equal(s(http('/healthz')), health);
        assert.equal(s(http('/payment/checkout')), payment);
      }
    }
    for (const [s] of samplers) assert.equal(s.stats().traces.total, 6);
    assert.equal(samplers[1][0].stats().fallbacks, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('beforeSend keeps the event when the backend cannot decide', () => {
  // A backend whose error decisions come back NaN: the event is kept, not silently
  // dropped.
  const { api } = require('../../pkg/dist/shim.cjs');
  const engine = {
    plans: () => JSON.stringify({ trace: [['', 0, 1, [], true]], error: [['', 0, 1, [], true]], defaultRate: 1 }),
    buffer: (n) => new Uint8Array(n),
    decide: () => NaN,
    decideError: () => NaN,
  };
  const lib = api({ name: 'fake', version: '0', load: () => engine, compile: () => engine });
  const beforeSend = lib.createBeforeSend({ defaultRate: 1 });
  const event = { message: 'm' };
  for (let i = 0; i < 20; i++) assert.equal(beforeSend(event, {}), event);
  assert.equal(lib.createTracesSampler({ defaultRate: 1 })({ name: 'x', attributes: {} }), 1);
});

test('CommonJS and ESM entries give the same instance, both backends load', () => {
  const cjs = require('tracesieve');
  assert.equal(cjs.createTracesSampler, wasm.createTracesSampler);
  assert.equal(require('tracesieve/native').backend, 'native');
  assert.equal(typeof cjs.ready, 'function');
});

for (const [name, lib] of backends) {
  test(`${name}: decides the bundled policy, from an object or JSON text`, () => {
    for (const s of [lib.createTracesSampler(policy), lib.createTracesSampler(JSON.stringify(policy))]) {
      assert.equal(s(http('/healthz')), 0);
      assert.equal(s(http('/payment/checkout')), 0.5);
      assert.equal(s(http('/api/chat', { parentSampled: false, parentSampleRate: 0 })), 1);
      assert.equal(s(http('/orders', { parentSampled: true, parentSampleRate: 0.25 })), 0.25);
      assert.equal(s({ name: 'chat gpt-4o', attributes: { 'sentry.op': 'gen_ai.chat', 'gen_ai.operation.name': 'chat' } }), 1);
      assert.equal(s(http('/orders')), 0.2);
    }
  });

  test(`${name}: explain shows what was read and does not count; stats count by reason and rule`, () => {
    const s = lib.createTracesSampler(policy);
    const x = s.explain(http('/search/x?q=1', { normalizedRequest: { method: 'GET' } }));
    assert.deepEqual([x.rate, x.reason, x.ruleId, x.fallback], [0.01, 'rule', 'search', false]);
    assert.equal(x.context.path, '/search/x');
    assert.equal(x.context.method, 'GET');
    assert.equal(s.stats().traces.total, 0);
    s(http('/healthz'));
    s(http('/healthz'));
    s(http('/x', { parentSampled: true }));
    const st = s.stats();
    assert.equal(st.traces.total, 3);
    assert.equal(st.traces.byRule.health, 2);
    assert.equal(st.traces.byReason.parent, 1);
    assert.equal(st.fallbacks, 0);
  });

  test(`${name}: an invalid policy throws a PolicyError with every problem and its path`, () => {
    const bad = { defaultRate: 1.5, rules: [{ id: 'a', when: { pathh: '/x' }, rate: 2 }, { id: 'a', when: { path: '/y' }, rate: 0 }] };
    assert.throws(() => lib.createTracesSampler(bad), (e) => {
      assert.ok(e instanceof lib.PolicyError && e instanceof Error);
      assert.equal(e.name, 'PolicyError');
      assert.match(e.message, /^invalid tracesieve policy \(4 problems\):/);
      assert.deepEqual(e.problems.map((p) => p.path), ['defaultRate', 'rules[0].when', 'rules[0].rate', 'rules[1].id']);
      return true;
    });
    assert.throws(() => lib.createTracesSampler('{"defaultRate": '), lib.PolicyError);
    assert.throws(() => lib.createBeforeSend(undefined), lib.PolicyError);
    const cyclic = { defaultRate: 0.1 };
    cyclic.self = cyclic;
    assert.throws(() => lib.createTracesSampler(cyclic), (e) => e instanceof lib.PolicyError && e.problems[0].path === 'policy');
  });

  test(`${name}: hostile contexts give the parent decision if readable, else defaultRate, and count a fallback`, () => {
    const s = lib.createTracesSampler(policy);
    const throwing = new Proxy({}, { get() { throw new Error('getter'); }, ownKeys() { throw new Error('keys'); } });
    const throwsButParent = new Proxy(http('/healthz', { parentSampled: true, parentSampleRate: 0.7 }), {
      get(target, key) {
        if (key === 'attributes') throw new Error('attributes getter');
        return target[key];
      },
    });
    const cyclic = http('/orders');
    cyclic.attributes.self = cyclic;
    cyclic.normalizedRequest = { parent: cyclic };
    const huge = http(`/${'a'.repeat(200_000)}`);
    const hugeWithParent = http(`/${'a'.repeat(200_000)}`, { parentSampled: false });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const cases = [
      ['null', null, 0.2],
      ['undefined', undefined, 0.2],
      ['a number', 42, 0.2],
      ['a string', 'GET /healthz', 0.2],
      ['a Proxy whose getters throw', throwing, 0.2],
      ['a revoked Proxy', revoked.proxy, 0.2],
      ['a throwing attributes getter, readable parent', throwsButParent, 0.7],
      ['a 200 KB path', huge, 0.2],
      ['a 200 KB path, parent unsampled', hugeWithParent, 0],
      ['a number as the name', { name: 42, attributes: {} }, 0.2],
      ['attributes not an object', { name: 'GET /x', attributes: 'not an object' }, 0.2],
      ['a number as sentry.op, parent sampled', { name: 'GET /x', attributes: { 'sentry.op': 7 }, parentSampled: true }, 1],
    ];
    let fallbacks = 0;
    for (const [label, ctx, want] of cases) {
      let rate;
      assert.doesNotThrow(() => { rate = s(ctx); }, label);
      assert.ok(Number.isFinite(rate) && rate >= 0 && rate <= 1, `finite rate in [0, 1] for ${label}`);
      assert.equal(rate, want, `rate for ${label}`);
      fallbacks++;
      assert.equal(s.stats().fallbacks, fallbacks);
    }
    // A cyclic object is read along the plan only: an ordinary decision, no fallback.
    assert.equal(s(cyclic), 0.2);
    assert.equal(s.stats().fallbacks, fallbacks);
    // Numbers where strings are expected in attributes are skipped, as the core's adapter does.
    assert.equal(s({ name: 'GET /healthz', attributes: { 'url.path': 5 } }), 0);
    assert.equal(s.explain(throwing).fallback, true);
  });

  test(`${name}: beforeSend applies errors rules, keeps one fate per trace`, () => {
    const beforeSend = lib.createBeforeSend(policy);
    class MyIgnoredException extends Error {}
    class MyException extends Error {
      constructor(m) {
        super(m);
        this.name = 'MyException';
      }
    }
    const event = (rand) => ({
      exception: { values: [{ type: 'MyException', value: 'boom' }] },
      sdkProcessingMetadata: { dynamicSamplingContext: { trace_id: 'a'.repeat(32), sample_rand: String(rand) } },
    });
    for (let i = 0; i < 20; i++) assert.equal(beforeSend({ message: 'x' }, { originalException: new MyIgnoredException('x') }), null);
    const kept = event(0.1);
    assert.equal(beforeSend(kept, { originalException: new MyException('boom') }), kept);
    for (let i = 0; i < 20; i++) assert.equal(beforeSend(event(0.9), {}), null, 'sample_rand 0.9 >= 0.5: every error of the trace dropped');
    const plain = { message: 'other' };
    assert.equal(beforeSend(plain, { originalException: new TypeError('t') }), plain);
    assert.equal(beforeSend(null, null), null, 'a null event stays null');
    const x = beforeSend.explain({}, { originalException: new MyIgnoredException('x') });
    assert.deepEqual([x.rate, x.ruleId, x.context.exception], [0, 'ignored', 'MyIgnoredException']);
    const st = beforeSend.stats();
    assert.equal(st.errors.byRule.ignored, 20);
    assert.equal(st.errors.byRule.noisy, 21);
  });
}
