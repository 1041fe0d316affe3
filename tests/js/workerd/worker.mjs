// The Worker of workerd.test.mjs, as the README has it: `import { ready, createTracesSampler }
// from 'tracesieve'; await ready()` with nothing else. It answers the decision for the
// root named by `?name=` and `?op=`, with what the default import says.
import tracesieve, { backend, createTracesSampler, ready } from 'tracesieve';

const policy = {
  defaultRate: 0.25,
  rules: [
    { id: 'health', when: { name: 'GET /healthz' }, rate: 0 },
    { id: 'checkout', when: { name: 'POST /checkout*' }, rate: 1 },
  ],
};

let sampler;

export default {
  async fetch(request) {
    await ready();
    sampler ??= createTracesSampler(policy);
    const url = new URL(request.url);
    const ctx = { name: url.searchParams.get('name'), attributes: { 'sentry.op': url.searchParams.get('op') } };
    return Response.json({
      rate: sampler(ctx),
      explain: sampler.explain(ctx),
      backend,
      version: tracesieve.version,
      sameDefault: tracesieve.createTracesSampler === createTracesSampler,
    });
  },
};
