// The Worker of workerd.test.mjs with @sentry/cloudflare: `withSentry` whose tracesSampler is
// tracesieve's, created after `await ready()`. It answers what the sampler saw and decided
// for this request's root (the SDK starts the root before the handler runs); the SDK sends
// the sampled roots to the test's DSN, on 127.0.0.1 (env.DSN).
import * as Sentry from '@sentry/cloudflare';
import { createTracesSampler, ready } from 'tracesieve';

const policy = {
  defaultRate: 0,
  rules: [
    { id: 'health', when: { path: '/healthz' }, rate: 0 },
    { id: 'checkout', when: { path: '/checkout*' }, rate: 1 },
  ],
};

let sampler;
let last;

const handler = Sentry.withSentry(
  (env) => ({
    dsn: env.DSN,
    tracesSampler: (ctx) => {
      const rate = sampler(ctx);
      last = { name: ctx.name, op: ctx.attributes?.['sentry.op'], rate, ruleId: sampler.explain(ctx).ruleId };
      return rate;
    },
  }),
  {
    async fetch() {
      return Response.json(last);
    },
  },
);

export default {
  async fetch(request, env, ctx) {
    await ready();
    sampler ??= createTracesSampler(policy);
    return handler.fetch(request, env, ctx);
  },
};
