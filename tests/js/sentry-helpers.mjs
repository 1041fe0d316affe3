// The real @sentry/node with a transport that records envelopes in memory, and readers of
// what it sent: root spans / transactions (both traceLifecycle modes) and their children.

import * as Sentry from '@sentry/node';

/** Initialises @sentry/node; returns the array the envelopes are recorded into. */
export function initSentry(options) {
  const envelopes = [];
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    transport: () => ({
      send: async (envelope) => {
        envelopes.push(envelope);
        return { statusCode: 200 };
      },
      flush: async () => true,
    }),
    defaultIntegrations: false,
    ...options,
  });
  return envelopes;
}

/**
 * Every span the SDK sent, whatever the mode: `{trace, span, parent, name, op, origin,
 * segment, sampleRate, attributes}` (attributes as plain key-value pairs), from span v2
 * items (stream) and transaction items (static).
 */
export function sentSpans(envelopes) {
  const out = [];
  for (const [, items] of envelopes) {
    for (const [header, payload] of items) {
      if (header.type === 'span') {
        for (const s of payload.items ?? [payload]) {
          const attr = (k) => s.attributes?.[k]?.value;
          out.push({
            trace: s.trace_id,
            span: s.span_id,
            parent: s.parent_span_id,
            name: s.name,
            op: attr('sentry.op'),
            origin: attr('sentry.origin'),
            segment: s.is_segment === true,
            sampleRate: attr('sentry.sample_rate'),
            attributes: Object.fromEntries(Object.entries(s.attributes ?? {}).map(([k, v]) => [k, v?.value])),
          });
        }
      } else if (header.type === 'transaction') {
        const t = payload.contexts.trace;
        out.push({
          trace: t.trace_id,
          span: t.span_id,
          parent: t.parent_span_id,
          name: payload.transaction,
          op: t.op,
          origin: t.origin,
          segment: true,
          sampleRate: t.data?.['sentry.sample_rate'],
          attributes: t.data ?? {},
        });
        for (const c of payload.spans ?? []) {
          out.push({
            trace: c.trace_id,
            span: c.span_id,
            parent: c.parent_span_id,
            name: c.description,
            op: c.op,
            origin: c.origin,
            segment: false,
            attributes: c.data ?? {},
          });
        }
      }
    }
  }
  return out;
}

/** The error events the SDK sent. */
export function sentEvents(envelopes) {
  return envelopes.flatMap(([, items]) => items.filter(([h]) => h.type === 'event').map(([, p]) => p));
}

/** A 4-sigma bound for a binomial count: |kept - n p| <= 4 sqrt(n p (1 - p)). */
export function withinFourSigma(kept, n, p) {
  return Math.abs(kept - n * p) <= 4 * Math.sqrt(n * p * (1 - p));
}

export { Sentry };
