// What the pages of bundlers.test.mjs do once bundled: load the browser module
// (`ready(wasm)`), sample with a policy compiled at build time (served as /policy.json by
// the test) through the default import, and return the decisions.
import tracesieve from 'tracesieve';

/** The decisions of the page; `wasm` is what `ready()` is given (nothing: its default). */
export async function check(wasm) {
  await tracesieve.ready(wasm);
  const policy = await (await fetch('/policy.json')).json();
  const sampler = tracesieve.createTracesSampler(policy);
  const decide = (name) => sampler({ name, attributes: { 'sentry.op': 'http.client' } });
  return {
    health: decide('GET /healthz'),
    checkout: decide('POST /checkout/pay'),
    other: decide('GET /'),
    backend: tracesieve.backend,
    version: tracesieve.version,
  };
}
