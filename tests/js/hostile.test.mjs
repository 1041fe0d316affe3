// Hostile inputs on both backends that api.test.mjs does not cover: lone UTF-16
// surrogates, 10 MB strings, invalid parent sample rates, sample_rand outside [0, 1] where
// beforeSend reads it, and deeply nested policies given as objects and as JSON text.
// Every tracesSampler call must return a finite rate in [0, 1] and never throw; a context
// that cannot be read (here: a string longer than 64 KiB of UTF-8) gives the parent's
// decision if readable, else defaultRate, and counts a fallback (docs/policy.md).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wasm from 'tracesieve';
import * as native from 'tracesieve/native';
import { policy } from './contexts.mjs';

const backends = [['wasm', wasm], ['native', native]];
const TEN_MB = 10_000_000;
const http = (path, extra = {}) => ({
  name: 'GET',
  attributes: { 'sentry.op': 'http.server', 'url.path': path, 'http.request.method': 'GET' },
  ...extra,
});

/** Calls `sampler(ctx)`: it must not throw and must give a finite rate in [0, 1]. */
function decide(sampler, ctx, label) {
  let rate;
  assert.doesNotThrow(() => { rate = sampler(ctx); }, label);
  assert.ok(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate <= 1, `${label}: rate ${rate}`);
  return rate;
}

/** The deep `{not: {not: ... {path: "/x"}}}` condition, `depth` levels, built as objects. */
function deepCondition(depth) {
  let c = { path: '/x' };
  for (let i = 0; i < depth; i++) c = { not: c };
  return c;
}

for (const [name, lib] of backends) {
  test(`${name}: lone surrogates in names, attributes and paths decide as U+FFFD, without a fallback`, () => {
    // Strings of up to 32 UTF-16 units are written inline, longer ones are fetched by the
    // backend: both routes must turn a lone surrogate into U+FFFD, as TextEncoder does.
    const long = 'x'.repeat(40);
    const cases = [
      ['short url.path', (s) => http(`/health${s}`)],
      ['long url.path', (s) => http(`/payment/${long}${s}`)],
      ['url.path ending in a high surrogate', (s) => http(`/health${long}${s}`)],
      ['url.full', (s) => ({ name: 'x', attributes: { 'url.full': `http://h/health${s}?q` } })],
      ['normalizedRequest.url', (s) => ({ name: 'x', attributes: {}, normalizedRequest: { url: `http://h/ready/${long}${s}` } })],
      ['the name', (s) => ({ name: `GET /search${s}`, attributes: { 'http.request.method': 'GET' } })],
      ['sentry.op', (s) => ({ name: 'x', attributes: { 'sentry.op': `gen_ai.${s}` } })],
      ['an attribute key', (s) => ({ name: 'x', attributes: { [`gen_ai.${s}`]: 1 } })],
      ['a custom value', (s) => ({ name: 'x', attributes: {}, user: { tier: `pro${s}` } })],
      ['an attribute value', (s) => ({ name: 'x', attributes: { 'app.model': `gpt-${s}` } })],
    ];
    const sampler = lib.createTracesSampler(policy);
    for (const [label, make] of cases) {
      for (const lone of ['\ud800', '\udfff', '\ud83d']) {
        const rate = decide(sampler, make(lone), label);
        assert.equal(rate, sampler(make('\ufffd')), `${label}: as U+FFFD`);
        assert.equal(sampler.explain(make(lone)).fallback, false, label);
      }
    }
    // The rules did match through the replaced strings (not a blanket default).
    assert.equal(sampler(http('/health\ud800')), 0);
    assert.equal(sampler(http(`/payment/${long}\udc00`)), 0.5);
    assert.equal(sampler({ name: 'x', attributes: { 'sentry.op': 'gen_ai.\ud800' } }), 1);
    assert.equal(sampler({ name: 'x', attributes: { 'app.model': `gpt-${long}\ud800` } }), 0.8);
    assert.equal(sampler.stats().fallbacks, 0);
  });

  test(`${name}: lone surrogates in a policy: escaped in an object they are an error, raw in text they read as U+FFFD`, () => {
    assert.throws(() => lib.createTracesSampler({ defaultRate: 0.1, rules: [{ id: 'a', when: { path: '/a\ud800' }, rate: 1 }] }),
      (e) => e instanceof lib.PolicyError && e.problems[0].path === 'policy');
    const s = lib.createTracesSampler('{"defaultRate": 0.1, "rules": [{"id": "a", "when": {"path": "/a\ud800"}, "rate": 1}]}');
    assert.equal(decide(s, http('/a\ufffd'), 'U+FFFD'), 1);
    assert.equal(decide(s, http('/a\ud800'), 'lone'), 1);
    assert.equal(decide(s, http('/a'), 'other'), 0.1);
  });

  test(`${name}: 10 MB strings anywhere are a fallback: the parent if readable, else defaultRate`, () => {
    const big = 'a'.repeat(TEN_MB);
    const cases = [
      ['url.path', http(`/health${big}`), 0.2],
      ['url.path, parent sampled', http(`/health${big}`, { parentSampled: true }), 1],
      ['the name', { name: big, attributes: {} }, 0.2],
      ['sentry.op, parent rate 0.25', { name: 'x', attributes: { 'sentry.op': big }, parentSampled: true, parentSampleRate: 0.25 }, 0.25],
      ['url.full, parent unsampled', { name: 'x', attributes: { 'url.full': `http://h/${big}` }, parentSampled: false }, 0],
      ['normalizedRequest.url', { name: 'x', attributes: {}, normalizedRequest: { url: big } }, 0.2],
      ['http.request.method', { name: 'x', attributes: { 'http.request.method': big } }, 0.2],
      ['an attribute a rule reads', { name: 'x', attributes: { 'app.model': big } }, 0.2],
      ['a custom value a rule reads', { name: 'x', attributes: {}, user: { tier: big } }, 0.2],
    ];
    const sampler = lib.createTracesSampler(policy);
    let fallbacks = 0;
    for (const [label, ctx, want] of cases) {
      assert.equal(decide(sampler, ctx, label), want, label);
      assert.equal(sampler.stats().fallbacks, ++fallbacks, `${label}: counted`);
    }
    // The bound is 64 KiB of UTF-8, not of UTF-16 units: 21,844 '€' are 65,539 bytes.
    assert.equal(sampler(http(`/health${'a'.repeat(65_536 - 7)}`)), 0, '64 KiB exactly is read');
    assert.equal(sampler(http(`/health${'€'.repeat(21_843)}`)), 0, '64 KiB of UTF-8 exactly is read');
    assert.equal(sampler(http(`/health${'€'.repeat(21_844)}`)), 0.2, 'one character more is a fallback');
    assert.equal(sampler.stats().fallbacks, fallbacks + 1);
    // A huge attribute key is only scanned for the gen_ai. prefix: an ordinary decision.
    assert.equal(sampler({ name: 'x', attributes: { [`gen_ai.${big}`]: 1 } }), 1);
    assert.equal(sampler.stats().fallbacks, fallbacks + 1);
    assert.equal(sampler.stats().traces.total, cases.length + 4);
    // A 10 MB policy is refused with the size limit, not read.
    assert.throws(() => lib.createTracesSampler(`{"defaultRate": 0.1, "description": "${big}"}`),
      (e) => e instanceof lib.PolicyError && /policy text is 10000039 bytes \(at most 1048576\)/.test(e.message));
    assert.throws(() => lib.createTracesSampler({ defaultRate: 0.1, description: big }), lib.PolicyError);
  });

  test(`${name}: NaN, Infinity, -1 and 2 as parentSampleRate are ignored and counted: the parent's decision, else the rules`, () => {
    // docs/policy.md, step 3: only a finite rate in [0, 1] is the parent's rate; an invalid
    // one is ignored, as Sentry's SDKs ignore one in baggage, so the parent's decision (or
    // the rules) decides; as a value no SDK sends, it is counted as a fallback.
    const sampler = lib.createTracesSampler(policy);
    const invalid = [NaN, Infinity, -Infinity, -1, 2, 1 + 2 ** -52, -Number.MIN_VALUE, '0.5', true, {}];
    for (const rate of invalid) {
      const label = `parentSampleRate ${String(rate)}`;
      assert.equal(decide(sampler, http('/orders', { parentSampled: true, parentSampleRate: rate }), label), 1, label);
      assert.equal(decide(sampler, http('/orders', { parentSampled: false, parentSampleRate: rate }), label), 0, label);
      assert.equal(decide(sampler, http('/orders', { parentSampleRate: rate }), label), 0.2, `${label}, no parent decision`);
      assert.equal(decide(sampler, http('/payment/x', { parentSampleRate: rate }), label), 0.5, `${label}: the rules decide`);
      const x = sampler.explain(http('/orders', { parentSampled: true, parentSampleRate: rate }));
      assert.deepEqual([x.reason, x.fallback], ['parent', false], label);
    }
    // Valid rates are used as they are, the bounds included.
    for (const rate of [0, 1, 0.25, Number.MIN_VALUE]) {
      assert.equal(decide(sampler, http('/orders', { parentSampled: true, parentSampleRate: rate }), 'valid'), rate);
    }
    assert.equal(sampler.stats().fallbacks, 4 * invalid.length);
    // null is a missing rate (as undefined), not an invalid one.
    assert.equal(decide(sampler, http('/payment/x', { parentSampleRate: null }), 'null'), 0.5);
    assert.equal(sampler.stats().fallbacks, 4 * invalid.length);
    assert.equal(sampler.stats().traces.byReason.parent, 2 * invalid.length + 4);
  });

  test(`${name}: beforeSend ignores, and counts, a sample_rand outside [0, 1) or not a number`, () => {
    // With errors.defaultRate 1 an event is always kept unless an out-of-range sample_rand
    // is wrongly compared (1.5 < 1 is false); with 0 it is always dropped unless -0.5 < 0
    // is wrongly compared. Math.random() < 1 (or < 0) makes these outcomes certain.
    const keepAll = lib.createBeforeSend({ defaultRate: 1, errors: { defaultRate: 1 } });
    const dropAll = lib.createBeforeSend({ defaultRate: 1, errors: { defaultRate: 0 } });
    const half = lib.createBeforeSend({ defaultRate: 1, errors: { defaultRate: 0.5 } });
    const event = (rand, traceId) => ({
      message: 'm',
      sdkProcessingMetadata: { dynamicSamplingContext: { sample_rand: rand } },
      ...(traceId ? { contexts: { trace: { trace_id: traceId } } } : {}),
    });
    const traceId = '771a43a4192642f0b136d5159a501700';
    const fromTraceId = half.explain({ message: 'm', contexts: { trace: { trace_id: traceId } } }, {}).sampled;
    assert.equal(typeof fromTraceId, 'boolean');
    const above = [1.5, 2, Infinity, NaN, '1.5', 'NaN', 'Infinity', '1e309', '\ud800', `${'9'.repeat(100_000)}`];
    const below = [-0.5, -Infinity, '-0.5', '-1e309'];
    for (const rand of above.concat(below)) {
      const label = `sample_rand ${String(rand).slice(0, 12)}`;
      for (let i = 0; i < 10; i++) {
        const e = event(rand);
        assert.equal(keepAll(e, {}), e, `${label}: kept at rate 1`);
        assert.equal(dropAll(e, {}), null, `${label}: dropped at rate 0`);
      }
      const x = half.explain(event(rand), {});
      assert.ok(Number.isFinite(x.rate) && x.rate === 0.5, label);
      if (!x.fallback) {
        assert.equal(x.sampled, null, `${label}: no sample_rand is known`);
        assert.equal(half.explain(event(rand, traceId), {}).sampled, fromTraceId, `${label}: the trace id's sample_rand`);
      }
    }
    // Controls: a valid sample_rand is compared.
    assert.equal(half.explain(event('0.1'), {}).sampled, true);
    assert.equal(half.explain(event(0.9), {}).sampled, false);
    assert.equal(dropAll.stats().errors.total, 10 * (above.length + below.length));
    assert.equal(dropAll.stats().fallbacks, 10 * (above.length + below.length));
    assert.equal(half.stats().fallbacks, 0, 'the controls are not counted (explain counts nothing)');
  });

  test(`${name}: a 100,000-deep policy is a PolicyError, as an object and as JSON text, and nothing breaks`, () => {
    const deep = { defaultRate: 0.1, rules: [{ id: 'deep', when: deepCondition(100_000), rate: 1 }] };
    for (const create of [lib.createTracesSampler, lib.createBeforeSend]) {
      assert.throws(() => create(deep), (e) => {
        assert.ok(e instanceof lib.PolicyError, `a PolicyError, got ${e && e.name}: ${e && e.message}`);
        assert.equal(e.problems[0].path, 'policy');
        return true;
      });
    }
    const tooDeep = (e) => e instanceof lib.PolicyError && /recursion limit exceeded/.test(e.message);
    const when = `${'{"not": '.repeat(100_000)}{"path": "/x"}${'}'.repeat(100_000)}`;
    assert.throws(() => lib.createTracesSampler(`{"defaultRate": 0.1, "rules": [{"id": "deep", "rate": 1, "when": ${when}}]}`), tooDeep);
    // Deep enough to pass JSON.stringify, too deep for the JSON parser: still a PolicyError.
    const thousand = { defaultRate: 0.1, rules: [{ id: 'deep', when: deepCondition(1_000), rate: 1 }] };
    assert.throws(() => lib.createTracesSampler(thousand), tooDeep);
    // A deep error-rule condition too.
    const deepError = { errors: { rules: [{ id: 'e', when: deepCondition(100_000), rate: 0 }] } };
    assert.throws(() => lib.createBeforeSend(deepError), lib.PolicyError);
    // The backend is unharmed: a sampler built afterwards decides.
    assert.equal(decide(lib.createTracesSampler(policy), http('/healthz'), 'after'), 0);
  });
}
