// A real HTTP server (node:http) instrumented by @sentry/node: requests to /api/chat are
// kept by a genAi.routes policy, /healthz dropped, counted from the envelopes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTracesSampler } from 'tracesieve';
import { Sentry, initSentry, sentSpans } from './sentry-helpers.mjs';

const sampler = createTracesSampler({
  defaultRate: 0,
  genAi: { routes: ['/api/chat*'] },
  rules: [{ id: 'health', when: { path: '/healthz' }, rate: 0 }, { id: 'orders', when: { path: '/orders*', method: 'POST' }, rate: 1 }],
});
const envelopes = initSentry({ tracesSampler: sampler, integrations: [Sentry.httpIntegration()] });
const http = await import('node:http');

test('a node:http server: /api/chat kept, /healthz dropped, as the policy says', async () => {
  const server = http.createServer((req, res) => {
    Sentry.startSpan({ name: 'handler work', op: 'function' }, () => {
      res.setHeader('content-type', 'text/plain');
      res.end(`ok ${req.url}`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const call = async (method, path) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, body: method === 'POST' ? '{}' : undefined });
    assert.equal(res.status, 200);
    await res.text();
  };
  const N = 25;
  for (let i = 0; i < N; i++) {
    await call('POST', `/api/chat?session=${i}`);
    await call('GET', '/healthz');
    await call('GET', `/orders/${i}`);
    await call('POST', '/orders');
  }
  await new Promise((resolve) => server.close(resolve));
  await Sentry.flush(5000);

  const roots = sentSpans(envelopes).filter((s) => s.segment && s.op === 'http.server');
  const byPath = {};
  for (const r of roots) byPath[r.name] = (byPath[r.name] ?? 0) + 1;
  const st = sampler.stats();
  assert.equal(st.traces.byRule.genAi, N, `genAi decided every /api/chat request: ${JSON.stringify(st.traces)}`);
  assert.equal(st.traces.byRule.health, N);
  assert.equal(st.traces.byRule.orders, N);
  assert.equal(st.fallbacks, 0);
  assert.equal(roots.length, 2 * N, `sent roots ${JSON.stringify(byPath)}`);
  const explained = sampler.explain({ name: 'POST', attributes: { 'sentry.op': 'http.server', 'url.path': '/api/chat' } });
  assert.equal(explained.ruleId, 'genAi');
  // Every sent child belongs to a sent root.
  const traces = new Set(roots.map((r) => r.trace));
  for (const c of sentSpans(envelopes).filter((s) => !s.segment)) assert.ok(traces.has(c.trace));
});
