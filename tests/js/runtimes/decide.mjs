// Run by runtimes.test.mjs under Deno and Bun: the README's quick start (`import { ready,
// createTracesSampler } from 'tracesieve'; await ready()`), a few decisions and what the
// runtime resolved, printed as one JSON line. `native` as argument imports
// 'tracesieve/native' instead.
const args = typeof Deno === 'undefined' ? process.argv.slice(2) : Deno.args;
const lib = args.includes('native') ? await import('tracesieve/native') : await import('tracesieve');
const policy = {
  defaultRate: 0.25,
  rules: [
    { id: 'health', when: { name: 'GET /healthz' }, rate: 0 },
    { id: 'checkout', when: { name: 'POST /checkout*' }, rate: 1 },
  ],
};

await lib.ready();
const sampler = lib.createTracesSampler(policy);
const decide = (name) => sampler({ name, attributes: { 'sentry.op': 'http.server' } });
console.log(
  JSON.stringify({
    health: decide('GET /healthz'),
    checkout: decide('POST /checkout/pay'),
    other: decide('GET /'),
    backend: lib.backend,
    version: lib.version,
    defaultExport: lib.default.createTracesSampler === lib.createTracesSampler,
  }),
);
