// Varied sampling contexts and error events for the soak (soak.mjs) and the worker_threads
// test (workers.test.mjs): every root of the bundled traffic as @sentry/core passes it,
// then hostile contexts (each one a fallback, an invalid parent rate, a lone surrogate, a
// huge string, ...). Deterministic: a worker that calls contexts() gets the same list, in
// the same order, as the main thread.

import { policy as bundled, samplingContext, traffic } from './traffic.mjs';

/** The bundled policy, plus a custom-context rule and an attribute rule so those are read too. */
export const policy = {
  ...bundled,
  rules: [
    ...bundled.rules,
    { id: 'tier', when: { custom: { 'user.tier': 'pro' } }, rate: 0.9 },
    { id: 'model', when: { attributes: { 'app.model': 'gpt-*' } }, rate: 0.8 },
  ],
};

const http = (path, extra = {}) => ({
  name: `GET ${path}`,
  attributes: { 'sentry.op': 'http.server', 'url.path': path, 'http.request.method': 'GET' },
  ...extra,
});

/** Hostile contexts, by label; built anew on each call (Proxies and cycles cannot be shared). */
export function hostile() {
  const throwing = new Proxy({}, { get() { throw new Error('getter'); }, ownKeys() { throw new Error('keys'); } });
  const throwsButParent = new Proxy(http('/healthz', { parentSampled: true, parentSampleRate: 0.7 }), {
    get(target, key) {
      if (key === 'attributes') throw new Error('attributes getter');
      return target[key];
    },
  });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const cyclic = http('/orders');
  cyclic.attributes.self = cyclic;
  cyclic.normalizedRequest = { parent: cyclic };
  const tenMb = 'a'.repeat(10_000_000);
  return [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a Proxy whose getters throw', throwing],
    ['a revoked Proxy', revoked.proxy],
    ['a throwing attributes getter, readable parent', throwsButParent],
    ['a cyclic context', cyclic],
    ['a 200 KB path', http(`/${'a'.repeat(200_000)}`)],
    ['a 10 MB path, parent unsampled', http(`/${tenMb}`, { parentSampled: false })],
    ['a 10 MB custom value', { name: 'x', attributes: {}, user: { tier: tenMb } }],
    ['a lone surrogate in a short path', http('/health\ud800')],
    ['a lone surrogate in a long path', http(`/payment/${'x'.repeat(40)}\udc00`)],
    ['a lone surrogate in the name', { name: 'GET /search\ud83d', attributes: { 'http.request.method': 'GET' } }],
    ['parentSampleRate NaN', http('/orders', { parentSampled: true, parentSampleRate: NaN })],
    ['parentSampleRate Infinity', http('/orders', { parentSampled: false, parentSampleRate: Infinity })],
    ['parentSampleRate -1', http('/orders', { parentSampleRate: -1 })],
    ['parentSampleRate 2', http('/orders', { parentSampled: true, parentSampleRate: 2 })],
    ['a number as the name', { name: 42, attributes: {} }],
    ['attributes not an object', { name: 'GET /x', attributes: 'not an object' }],
    ['a custom tier', { name: 'job', attributes: { 'sentry.op': 'queue.task' }, user: { tier: 'pro' } }],
    ['a model attribute', { name: 'job', attributes: { 'app.model': 'gpt-4o' } }],
  ];
}

/** Every traffic root, then the hostile contexts. */
export function contexts() {
  return traffic.map(samplingContext).concat(hostile().map(([, ctx]) => ctx));
}

class MyIgnoredException extends Error {}
class MyException extends Error {
  constructor(m) {
    super(m);
    this.name = 'MyException';
  }
}

const withRand = (rand, extra = {}) => ({
  message: 'm',
  sdkProcessingMetadata: { dynamicSamplingContext: { trace_id: 'a'.repeat(32), sample_rand: rand } },
  ...extra,
});

/** `[event, hint]` pairs for beforeSend: rules, valid and invalid sample_rand, hostile events. */
export function events() {
  return [
    [{ message: 'x' }, { originalException: new MyIgnoredException('x') }],
    [withRand('0.1'), { originalException: new MyException('boom') }],
    [withRand(0.9), { originalException: new MyException('boom') }],
    [withRand(1.5), {}],
    [withRand('NaN'), { originalException: new TypeError('t') }],
    [withRand(-0.5, { contexts: { trace: { trace_id: '771a43a4192642f0b136d5159a501700' } } }), {}],
    [{ message: 'm'.repeat(200_000) }, null],
    [null, null],
    ['not an event', 7],
  ];
}
