// The bundled traffic (examples/traffic.jsonl) and policy (examples/policy.json), and the
// seed's hand-written sampler, shared by the benchmark, the demo and the SDK tests.

import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

/** The bundled policy. */
export const policy = JSON.parse(readFileSync(new URL('examples/policy.json', root), 'utf8'));

/** The bundled traffic: one object per root (see examples/gen_traffic.py). */
export const traffic = readFileSync(new URL('examples/traffic.jsonl', root), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

/**
 * A traffic root as the samplingContext @sentry/core 11 passes to tracesSampler for it
 * (an http.server root of the http integration, or a gen_ai / job root), with
 * `inheritOrSampleWith` as the SDK adds it.
 */
export function samplingContext(line) {
  let ctx;
  if (line.path !== undefined) {
    const [path, query] = line.path.split('?');
    const url = `http://api.internal:8080${line.path}`;
    const attributes = {
      'sentry.op': 'http.server',
      'sentry.origin': 'auto.http.http_server',
      'sentry.segment.name.source': 'url',
      'sentry.kind': 'server',
      'url.full': url,
      'url.path': path,
      'url.scheme': 'http',
      'http.request.method': line.method,
      'server.address': 'api.internal',
      'server.port': 8080,
      'user_agent.original': 'Mozilla/5.0',
    };
    if (query) attributes['url.query'] = query;
    ctx = {
      name: `${line.method} ${path}`,
      parentSampled: undefined,
      attributes,
      normalizedRequest: { url, method: line.method, headers: { host: 'api.internal:8080' } },
      parentSampleRate: undefined,
    };
  } else {
    ctx = {
      name: line.name,
      parentSampled: undefined,
      attributes: { 'sentry.op': line.op, ...line.attributes },
      normalizedRequest: undefined,
      parentSampleRate: undefined,
    };
  }
  if (line.parent) {
    ctx.parentSampled = line.parent.sampled;
    ctx.parentSampleRate = line.parent.sampleRate;
  }
  ctx.inheritOrSampleWith = (fallback) => {
    if (typeof ctx.parentSampleRate === 'number') return ctx.parentSampleRate;
    if (typeof ctx.parentSampled === 'boolean') return Number(ctx.parentSampled);
    return fallback;
  };
  return ctx;
}

/** The seed's hand-written JS sampler, HTTP-routes version (shared/seeds/000). */
export function seedSampler({ name, attributes, inheritOrSampleWith }) {
  if (attributes?.['gen_ai.operation.name']) {
    return 1.0;
  }
  if (name?.includes('/api/chat') || name?.includes('/api/agent') || name?.includes('/api/generate')) {
    return 1.0;
  }
  return inheritOrSampleWith(0.2);
}

/** The seed's policy, translated (tests/vectors/seeds.json, aiRoutesJs). */
export const seedPolicy = {
  defaultRate: 0.2,
  genAi: false,
  rules: [
    { id: 'gen-ai-attribute', when: { attributes: { 'gen_ai.operation.name': { exists: true } } }, rate: 1, overrideParent: true },
    { id: 'ai-routes', when: { name: { contains: ['/api/chat', '/api/agent', '/api/generate'] } }, rate: 1, overrideParent: true },
  ],
};

/**
 * The seed's sampler with the demo's health, payment and search routes: what a team
 * writes by hand for the bundled policy (as core/benches/decide.rs does in Rust).
 */
export function demoSampler({ name, attributes, parentSampled, parentSampleRate }) {
  if (attributes?.['gen_ai.operation.name'] || attributes?.['sentry.op']?.startsWith('gen_ai.')) return 1.0;
  const path = attributes?.['url.path'] ?? '';
  if (path.startsWith('/api/chat') || path.startsWith('/api/agent') || path.startsWith('/api/generate')) return 1.0;
  if (typeof parentSampleRate === 'number') return parentSampleRate;
  if (typeof parentSampled === 'boolean') return parentSampled ? 1 : 0;
  if (path.startsWith('/health') || path.startsWith('/ready') || path.startsWith('/live')) return 0;
  if (path.startsWith('/payment')) return 0.5;
  if (path.startsWith('/search') && attributes?.['http.request.method'] === 'GET') return 0.01;
  return 0.2;
}
