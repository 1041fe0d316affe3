// The real-SDK test body shared by both traceLifecycle modes (sdk-stream.test.mjs,
// sdk-static.test.mjs): 10,000 root spans of a realistic mix through Sentry.startSpan,
// and continued traces, asserted on the envelopes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracesSampler } from 'tracesieve';
import { Sentry, initSentry, sentSpans, withinFourSigma } from './sentry-helpers.mjs';
import { policy } from './traffic.mjs';

const ROUTES = [
  ['GET', '/api/orders/42', 30],
  ['POST', '/api/orders', 12],
  ['GET', '/healthz', 14],
  ['GET', '/health/live', 6],
  ['GET', '/ready', 4],
  ['POST', '/payment/checkout', 10],
  ['POST', '/payments/refund', 4],
  ['GET', '/search', 12],
  ['POST', '/api/chat', 6],
  ['POST', '/api/agent/run', 3],
];

/** The kind of the i-th root of the mix, deterministic. */
function root(i) {
  if (i % 20 === 0) return { kind: 'ai', name: 'chat gpt-4o', op: 'gen_ai.chat', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } };
  if (i % 20 === 1) return { kind: 'job', name: 'nightly-report', op: 'function.aws', attributes: {} };
  const total = ROUTES.reduce((n, r) => n + r[2], 0);
  let k = (i * 7919) % total;
  for (const [method, path, w] of ROUTES) {
    if (k < w) {
      const kind = path.startsWith('/health') || path === '/healthz' || path === '/ready' ? 'health'
        : path.startsWith('/payment') ? 'payment'
        : path.startsWith('/search') ? 'search'
        : path.startsWith('/api/chat') || path.startsWith('/api/agent') ? 'aiRoute' : 'http';
      return { kind, name: `${method} ${path}`, op: 'http.server', attributes: { 'url.path': path, 'http.request.method': method } };
    }
    k -= w;
  }
  throw new Error('unreachable');
}

/** Parses a baggage header into its sentry- keys. */
function dsc(baggage) {
  return Object.fromEntries(baggage.split(',').filter((kv) => kv.startsWith('sentry-')).map((kv) => {
    const [k, v] = kv.split('=');
    return [k.slice(7), decodeURIComponent(v)];
  }));
}

export function rootSpanTests(traceLifecycle) {
  const sampler = createTracesSampler(policy);
  const envelopes = initSentry({ tracesSampler: sampler, traceLifecycle });
  const N = 10_000;
  const kindOf = new Map();

  test(`${traceLifecycle}: 10,000 roots of a realistic mix, decided per policy`, async () => {
    for (let i = 0; i < N; i++) {
      const r = root(i);
      Sentry.startNewTrace(() => {
        Sentry.startSpan({ name: r.name, op: r.op, attributes: r.attributes }, (span) => {
          kindOf.set(span.spanContext().traceId, r.kind);
          Sentry.startSpan({ name: 'child work', op: 'db.query' }, () => {});
        });
      });
    }
    await Sentry.flush(10_000);
    const spans = sentSpans(envelopes);
    const roots = spans.filter((s) => s.segment);
    const counts = {};
    const kept = {};
    for (const kind of kindOf.values()) counts[kind] = (counts[kind] ?? 0) + 1;
    for (const r of roots) kept[kindOf.get(r.trace)] = (kept[kindOf.get(r.trace)] ?? 0) + 1;
    assert.equal(kindOf.size, N, 'one trace per root');
    assert.equal(kept.ai, counts.ai, 'every AI root kept');
    assert.equal(kept.aiRoute, counts.aiRoute, 'every AI route kept (genAi.routes)');
    assert.equal(kept.health ?? 0, 0, 'no health check kept');
    assert.ok(counts.payment > 500, `${counts.payment} payment roots`);
    assert.ok(withinFourSigma(kept.payment, counts.payment, 0.5), `payment kept ${kept.payment} of ${counts.payment}`);
    assert.ok(withinFourSigma(kept.http, counts.http, 0.2), `default kept ${kept.http} of ${counts.http}`);
    assert.ok(withinFourSigma(kept.search ?? 0, counts.search, 0.01), `search kept ${kept.search} of ${counts.search}`);
    assert.ok(withinFourSigma(kept.job, counts.job, 0.2), `jobs kept ${kept.job} of ${counts.job}`);
    const st = sampler.stats();
    assert.equal(st.traces.total, N, 'the sampler ran once per root, never for a child');
    assert.equal(st.fallbacks, 0);
    assert.equal(st.traces.byRule.health, counts.health);
  });

  test(`${traceLifecycle}: children follow their root`, () => {
    const spans = sentSpans(envelopes);
    const rootTraces = new Set(spans.filter((s) => s.segment).map((s) => s.trace));
    const children = spans.filter((s) => !s.segment);
    assert.equal(children.length, rootTraces.size, 'one child per kept root');
    for (const c of children) assert.ok(rootTraces.has(c.trace), 'no child of a dropped root');
    for (const r of spans.filter((s) => s.segment)) assert.ok([0.5, 0.2, 0.01, 1].includes(Number(r.sampleRate)), `sample rate ${r.sampleRate}`);
  });

  test(`${traceLifecycle}: continued traces keep the parent's decision and rate in the outgoing DSC`, async () => {
    envelopes.length = 0;
    const traceId = (n) => n.toString(16).padStart(32, 'a');
    const continued = [
      // [sampled flag, sample_rand, sample_rate, root] -> expected sent, rate
      { flag: '1', rand: 0.3, rate: 0.4, name: 'GET /api/orders/1', path: '/api/orders/1', sent: true, out: 0.4 },
      { flag: '0', rand: 0.7, rate: 0.4, name: 'GET /api/orders/2', path: '/api/orders/2', sent: false, out: 0.4 },
      { flag: '1', rand: 0.05, rate: 0.1, name: 'GET /healthz', path: '/healthz', sent: true, out: 0.1 },
      // genAi overrides the unsampled parent: the root is kept at rate 1 (the SDK keeps the
      // frozen incoming `sampled` in its DSC, so only the rate is asserted).
      { flag: '0', rand: 0.9, rate: 0.25, name: 'POST /api/chat', path: '/api/chat', sent: true, out: 1, override: true },
    ];
    const outgoing = [];
    continued.forEach((c, i) => {
      const sentryTrace = `${traceId(i + 1)}-${'b'.repeat(16)}-${c.flag}`;
      const baggage = `sentry-trace_id=${traceId(i + 1)},sentry-sample_rand=${c.rand},sentry-sample_rate=${c.rate},sentry-sampled=${c.flag === '1'},sentry-public_key=public`;
      Sentry.continueTrace({ sentryTrace, baggage }, () => {
        Sentry.startSpan({ name: c.name, op: 'http.server', attributes: { 'url.path': c.path, 'http.request.method': c.name.split(' ')[0] } }, () => {
          outgoing.push(dsc(Sentry.getTraceData().baggage ?? ''));
        });
      });
    });
    await Sentry.flush(5000);
    const sent = new Set(sentSpans(envelopes).filter((s) => s.segment).map((s) => s.trace));
    continued.forEach((c, i) => {
      assert.equal(sent.has(traceId(i + 1)), c.sent, `${c.name}: sent`);
      assert.equal(Number(outgoing[i].sample_rand), c.rand, `${c.name}: sample_rand propagated`);
      assert.equal(Number(outgoing[i].sample_rate), c.out, `${c.name}: outgoing sample_rate`);
      if (!c.override) assert.equal(outgoing[i].sampled, String(c.sent), `${c.name}: outgoing sampled`);
    });
  });
}
