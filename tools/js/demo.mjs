// `make demo` (JavaScript columns): the bundled policy on the bundled traffic through the
// real @sentry/node, each root continued with Sentry.continueTrace from sentry-trace and
// baggage carrying its sample_rand; counts the roots sent (from the envelopes) by the rule
// that decided them, into target/demo/js-<backend>.json (format: examples/README.md).
//
// Usage: node demo.mjs wasm|native

import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { policy, traffic } from '../../tests/js/traffic.mjs';
import { Sentry, initSentry, sentSpans } from '../../tests/js/sentry-helpers.mjs';

const which = process.argv[2] === 'native' ? 'native' : 'wasm';
const lib = which === 'native' ? await import('tracesieve/native') : await import('tracesieve');
if (lib.backend !== which) throw new Error(`the ${which} backend did not load (got ${lib.backend})`);
const sentryVersion = JSON.parse(readFileSync(new URL('node_modules/@sentry/node/package.json', import.meta.url))).version;

const sampler = lib.createTracesSampler(policy);
const envelopes = initSentry({ tracesSampler: sampler });

/** A traffic line as the root @sentry/node starts for it. */
function startArgs(line) {
  if (line.path === undefined) return { name: line.name, op: line.op, attributes: { ...line.attributes } };
  const [path, query] = line.path.split('?');
  const attributes = { 'url.path': path, 'http.request.method': line.method, ...line.attributes };
  if (query) attributes['url.query'] = query;
  return { name: `${line.method} ${path}`, op: line.op, attributes };
}

function headers(line) {
  const flag = line.parent ? (line.parent.sampled ? '-1' : '-0') : '';
  let baggage = `sentry-trace_id=${line.traceId},sentry-sample_rand=${line.sampleRand.toFixed(6)}`;
  if (line.parent) baggage += `,sentry-sample_rate=${line.parent.sampleRate}`;
  return { sentryTrace: `${line.traceId}-${line.traceId.slice(16)}${flag}`, baggage };
}

const rowOf = new Map();
for (const line of traffic) {
  const args = startArgs(line);
  const ctx = { name: args.name, attributes: { 'sentry.op': args.op, ...args.attributes } };
  if (line.parent) Object.assign(ctx, { parentSampled: line.parent.sampled, parentSampleRate: line.parent.sampleRate });
  const x = sampler.explain(ctx);
  rowOf.set(line.traceId, x.ruleId ?? (x.reason === 'parent' ? '(parent)' : '(default)'));
  Sentry.continueTrace(headers(line), () => Sentry.startSpan(args, () => {}));
}
await Sentry.flush(10_000);

const kept = {};
for (const root of sentSpans(envelopes).filter((s) => s.segment)) {
  const row = rowOf.get(root.trace) ?? '(unknown)';
  kept[row] = (kept[row] ?? 0) + 1;
}
const out = new URL('../../target/demo/', import.meta.url);
mkdirSync(out, { recursive: true });
const column = { column: `js ${which === "native" ? "napi" : "wasm"} (${sentryVersion})`, kept: Object.fromEntries(Object.entries(kept).sort()) };
writeFileSync(new URL(`js-${which === 'native' ? 'napi' : 'wasm'}.json`, out), JSON.stringify(column, null, 2));
const st = sampler.stats();
console.log(`js ${which}: ${traffic.length} roots through @sentry/node ${sentryVersion}, ${st.traces.total} decided, ${Object.values(kept).reduce((a, b) => a + b, 0)} sent`);
