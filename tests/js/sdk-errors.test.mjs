// createBeforeSend in the real @sentry/node: the policy's errors rules decide which error
// events are sent, and the errors of one trace share one fate (its sample_rand).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBeforeSend } from 'tracesieve';
import { Sentry, initSentry, sentEvents, withinFourSigma } from './sentry-helpers.mjs';
import { policy } from './traffic.mjs';

const beforeSend = createBeforeSend(policy);
const envelopes = initSentry({ beforeSend });

class MyIgnoredException extends Error {}
class MyException extends Error {
  constructor(message) {
    super(message);
    this.name = 'MyException';
  }
}

test('error events: ignored never sent, noisy ~0.5 with one fate per trace, others always', async () => {
  const TRACES = 400;
  for (let t = 0; t < TRACES; t++) {
    Sentry.startNewTrace(() => {
      for (let k = 0; k < 3; k++) Sentry.captureException(new MyException(`noisy ${t}/${k}`));
      Sentry.captureException(new MyIgnoredException(`ignored ${t}`));
    });
  }
  for (let k = 0; k < 20; k++) Sentry.captureException(new TypeError(`other ${k}`));
  await Sentry.flush(5000);

  const events = sentEvents(envelopes);
  const typeOf = (e) => e.exception?.values?.at(-1)?.type;
  assert.equal(events.filter((e) => typeOf(e) === 'MyIgnoredException').length, 0, 'MyIgnoredException never sent');
  assert.equal(events.filter((e) => typeOf(e) === 'TypeError').length, 20, 'other errors always sent (errors.defaultRate 1)');
  const perTrace = new Map();
  for (const e of events.filter((e) => typeOf(e) === 'MyException')) {
    const trace = e.contexts.trace.trace_id;
    perTrace.set(trace, (perTrace.get(trace) ?? 0) + 1);
  }
  for (const [trace, n] of perTrace) assert.equal(n, 3, `trace ${trace}: all three errors share one fate`);
  assert.ok(withinFourSigma(perTrace.size, TRACES, 0.5), `${perTrace.size} of ${TRACES} traces kept`);
  const st = beforeSend.stats();
  assert.equal(st.errors.byRule.ignored, TRACES);
  assert.equal(st.errors.byRule.noisy, 3 * TRACES);
  assert.equal(st.errors.byReason.default, 20);
  assert.equal(st.fallbacks, 0);
});
