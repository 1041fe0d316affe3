// Recording real roots: createTracesSampler(policy, { record }) under the real @sentry/node
// writes one traffic line per root; `tracesieve simulate` (the Rust binary, target/release)
// on the recorded file keeps exactly the roots the SDK kept. recordRate and maxBytes are
// honoured; data the policy does not read never reaches a line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTracesSampler, recordToFile } from 'tracesieve';
import * as native from 'tracesieve/native';
import { Sentry, initSentry, sentSpans } from './sentry-helpers.mjs';
import { policy } from './traffic.mjs';

const repo = new URL('../../', import.meta.url).pathname;
const bin = process.env.TRACESIEVE_BIN ?? join(repo, 'target/release/tracesieve');
const dir = mkdtempSync(join(tmpdir(), 'tracesieve-record-'));
const policyFile = join(dir, 'policy.json');
writeFileSync(policyFile, JSON.stringify(policy));

function simulate(traffic) {
  const r = spawnSync(bin, ['simulate', '--format', 'json', policyFile, traffic], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

const PATHS = ['/api/orders/7', '/healthz', '/payment/checkout', '/search', '/api/chat', '/api/other'];
const SECRET = 'alice@example.com';

test('roots recorded under @sentry/node: simulate keeps what the SDK kept', async () => {
  const file = join(dir, 'roots.jsonl');
  const record = recordToFile(file);
  const sampler = createTracesSampler(policy, {
    record,
    recordKeys: { attributes: ['app.tier'] },
    sampleRand: () => Sentry.getCurrentScope().getPropagationContext().sampleRand,
  });
  const envelopes = initSentry({ tracesSampler: sampler });
  const N = 3000;
  for (let i = 0; i < N; i++) {
    const path = PATHS[i % PATHS.length];
    const attributes = { 'url.path': path, 'http.request.method': 'GET', 'user.email': SECRET, 'app.tier': i % 3 ? 'free' : 'pro' };
    if (i % 17 === 0) attributes['gen_ai.operation.name'] = 'chat';
    Sentry.startNewTrace(() => {
      Sentry.startSpan({ name: `GET ${path}`, op: 'http.server', attributes }, () => {});
    });
  }
  await Sentry.flush(10_000);
  record.close();
  const sdkKept = sentSpans(envelopes).filter((s) => s.segment).length;
  const recorded = lines(file);
  assert.equal(recorded.length, N, 'one line per root');
  const first = JSON.parse(recorded[0]);
  assert.equal(first.name, 'GET /api/orders/7');
  assert.equal(first.path, '/api/orders/7');
  assert.equal(first.attributes['app.tier'], 'pro', 'a key the user lists is recorded');
  assert.equal(typeof first.sampleRand, 'number');
  assert.ok(['rate', 'reason', 'ruleId'].every((k) => k in first.decision));
  const text = readFileSync(file, 'utf8');
  assert.ok(!text.includes(SECRET) && !text.includes('user.email'), 'no attribute the policy does not read');
  const report = simulate(file);
  assert.equal(report.roots, N);
  assert.equal(report.kept, sdkKept, `simulate keeps ${report.kept}, the SDK kept ${sdkKept}`);
  assert.ok(sdkKept > 0 && sdkKept < N);
});

for (const [name, create] of [['wasm', createTracesSampler], ['native', native.createTracesSampler]]) {
  test(`${name}: recordRate records that share of roots, maxBytes bounds the file`, () => {
    const ctx = (i) => ({ name: `GET /x/${i}`, attributes: { 'url.path': `/x/${i}`, secret: SECRET }, parentSampled: undefined });
    const sampled = join(dir, `${name}-sampled.jsonl`);
    const rec = recordToFile(sampled, { recordRate: 0.25 });
    const plain = createTracesSampler(policy);
    const s = create(policy, { record: rec });
    for (let i = 0; i < 400; i++) assert.equal(s(ctx(i)), plain(ctx(i)), 'recording never changes a rate');
    rec.close();
    assert.equal(lines(sampled).length, 100);
    assert.equal(simulate(sampled).roots, 100);

    const bounded = join(dir, `${name}-bounded.jsonl`);
    const small = recordToFile(bounded, { maxBytes: 2000 });
    const b = create(policy, { record: small });
    for (let i = 0; i < 400; i++) b(ctx(i));
    small.close();
    const size = statSync(bounded).size;
    assert.ok(size > 1000 && size <= 2000, `${size} bytes`);
    for (const l of lines(bounded)) assert.equal(JSON.parse(l).name.startsWith('GET /x/'), true);
    assert.ok(!readFileSync(bounded, 'utf8').includes(SECRET));
  });
}

test('a throwing record function never changes a decision', () => {
  const s = createTracesSampler(policy, {
    record: () => {
      throw new Error('disk full');
    },
  });
  assert.equal(s({ name: 'GET /healthz', attributes: { 'url.path': '/healthz' } }), 0);
});
