// The page of browser.test.mjs: @sentry/browser with the wasm backend, bundled by esbuild.
// `tracesieve-under-test` is 'tracesieve' (the browser module, given the policy compiled by
// `tracesieve compile`) or 'tracesieve/full' (given the policy itself), and
// `tracesieve-wasm-under-test` its module's subpath export (a URL: esbuild's `file` loader);
// see the test.
import * as Sentry from '@sentry/browser';
import tracesieve, { createTracesSampler, ready, version } from 'tracesieve-under-test';
import wasmUrl from 'tracesieve-wasm-under-test';
import policy from 'virtual:policy';

const params = new URLSearchParams(location.search);
const envelopes = [];
const seen = [];
window.__done = (async () => {
  await tracesieve.ready(wasmUrl);
  const sampler = createTracesSampler(policy);
  // What the module does with a policy that is not compiled.
  let plain;
  try {
    plain = createTracesSampler({ defaultRate: 1 })({ name: 'x' });
  } catch (e) {
    plain = `${e.name}: ${e.message}`;
  }
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
  const defaultExport = {
    same: tracesieve.createTracesSampler === createTracesSampler && tracesieve.ready === ready,
    version: tracesieve.version,
    backend: tracesieve.backend,
  };
  return { version, seen, envelopes, plain, stats: sampler.stats(), defaultExport };
})();
