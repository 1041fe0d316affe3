// The page of browser.test.mjs: @sentry/browser with the wasm backend, bundled by esbuild.
import * as Sentry from '@sentry/browser';
import { createTracesSampler, ready, version } from 'tracesieve';

const params = new URLSearchParams(location.search);
const envelopes = [];
const seen = [];
window.__done = (async () => {
  await ready('/tracesieve_wasm_bg.wasm');
  const sampler = createTracesSampler({
    defaultRate: 0,
    genAi: false,
    rules: [
      { id: 'checkout', when: { path: '/checkout*' }, rate: 1 },
      { id: 'health', when: { path: '/healthz' }, rate: 0 },
    ],
  });
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    traceLifecycle: params.get('lifecycle') ?? undefined,
    integrations: [Sentry.browserTracingIntegration({ idleTimeout: 200, finalTimeout: 2000, childSpanTimeout: 500 })],
    tracesSampler: (ctx) => {
      seen.push({ name: ctx.name, op: ctx.attributes?.['sentry.op'], keys: Object.keys(ctx.attributes ?? {}) });
      return sampler(ctx);
    },
    transport: () => ({
      send: async (e) => {
        envelopes.push(JSON.parse(JSON.stringify(e)));
        return { statusCode: 200 };
      },
      flush: async () => true,
    }),
  });
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));
  await wait(600);
  for (const path of ['/checkout/payment', '/settings', '/healthz', '/checkout/done']) {
    history.pushState({}, '', path);
    await wait(600);
  }
  await Sentry.flush(3000);
  return { version, seen, envelopes, stats: sampler.stats() };
})();
