// Type-checks the package's index.d.ts against typed usage (`tsc -p tests/js`): every
// export, the policy type, and use with @sentry/node's own option types.
import * as Sentry from '@sentry/node';
import {
  createBeforeSend,
  createTracesSampler,
  compilePolicy,
  PolicyError,
  ready,
  version,
  backend,
  type Policy,
  type Explanation,
  type Stats,
  type TracesSampler,
  type BeforeSend,
  type CompiledPolicy,
} from 'tracesieve';

const policy: Policy = {
  version: 1,
  defaultRate: 0.2,
  parent: 'inherit',
  genAi: { routes: ['/api/chat*'], rate: 1, overrideParent: true },
  rules: [
    { id: 'health', when: { path: ['/health*', '/ready'] }, rate: 0 },
    { id: 'vip', when: { custom: { 'user.tier': { eq: 'enterprise', ignoreCase: true } } }, rate: 1, overrideParent: true },
    { when: { any: [{ op: 'db*' }, { not: { genAi: true } }], attributes: { 'http.status': { gte: 500 } } }, rate: 0.5 },
  ],
  errors: { defaultRate: 1, rules: [{ id: 'ignored', when: { exception: 'MyIgnoredException' }, rate: 0 }] },
};

await ready();
const tracesSampler: TracesSampler = createTracesSampler(policy);
const beforeSend: BeforeSend = createBeforeSend(JSON.stringify(policy));
Sentry.init({ dsn: 'http://public@127.0.0.1:9/1', tracesSampler, beforeSend });

const compiled: CompiledPolicy = compilePolicy(policy);
const fromCompiled: TracesSampler = createTracesSampler(compiled);
const compiledVersion: string = compiled.tracesieve;
console.log(fromCompiled, compiledVersion, createBeforeSend(new Uint8Array(0)));

const rate: number = tracesSampler({ name: 'GET /healthz', attributes: { 'sentry.op': 'http.server' } });
const why: Explanation = tracesSampler.explain({ name: 'GET /x' });
const stats: Stats = tracesSampler.stats();
const reason: 'forced' | 'genAi' | 'rule' | 'parent' | 'default' = why.reason;
const kept: { message: string } | null = beforeSend({ message: 'x' }, { originalException: new Error('x') });
const v: string = version;
const b: 'wasm' | 'native' = backend;
try {
  createTracesSampler({ defaultRate: 2 });
} catch (e) {
  if (e instanceof PolicyError) {
    const paths: string[] = e.problems.map((p) => p.path);
    console.log(paths, e.message);
  }
}
console.log(rate, stats.fallbacks, reason, kept, v, b);

// @ts-expect-error: defaultRate is required
const missing: Policy = { rules: [] };
// @ts-expect-error: parent is "inherit" or "ignore"
const wrongParent: Policy = { defaultRate: 0.1, parent: 'always' };
console.log(missing, wrongParent);

// The default export: the same functions as one object.
import tracesieve from 'tracesieve';
const viaDefault: TracesSampler = tracesieve.createTracesSampler(policy);
const defaultVersion: string = tracesieve.version;
void [viaDefault, defaultVersion, tracesieve.ready, tracesieve.backend === 'wasm'];
