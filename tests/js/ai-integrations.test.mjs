// The real AI integrations of @sentry/node 11.11.0, with the real client libraries against
// the loopback fake LLM server (tests/fakes/llm_server.py), decided by tracesieve's sampler,
// in both trace lifecycles. For every client of ai-clients.mjs:
//
// - standalone (no active span), the AI root is kept by `{"defaultRate": 0}` (the genAi
//   rule) and the envelope holds the client's gen_ai spans;
// - inside a request to a node:http route, the run is decided by the request's root: kept
//   when `genAi.routes` lists the route, dropped when it does not (the MCP server makes
//   each message a root of its own, kept by the genAi rule over the request's decision);
// - the sampling contexts of all these roots still equal the conformance vectors recorded
//   in tests/vectors/sdk_js_ai.json (`RECORD=1 node --test ai-integrations.test.mjs`
//   rewrites that file), so a change in what the SDKs pass at sampling time fails here.
//
// Each trace lifecycle runs in a process of its own (ai-probe.mjs), which reports what
// happened; the assertions are here.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AI_CLIENTS, POLICIES, RESULT_PREFIX, SCENARIOS } from './ai-clients.mjs';
import { VECTORS_FILE, expectedDecision, vectorsDocument } from './ai-vectors.mjs';
import { startFakeLlm } from './fake-llm.mjs';

const LIFECYCLES = ['stream', 'static'];
const PROBE = fileURLToPath(new URL('./ai-probe.mjs', import.meta.url));
const PROBE_TIMEOUT_MS = 90_000;
const RECORD = process.env.RECORD === '1';

/** Runs ai-probe.mjs for one trace lifecycle; resolves to its parsed result. */
function runProbe(traceLifecycle, llmUrl) {
  const child = spawn(process.execPath, [PROBE, traceLifecycle, llmUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) reject(new Error(`ai-probe.mjs ${traceLifecycle} exited (${code ?? signal}) without a result:\n${stdout}\n${stderr}`));
      else resolve({ ...JSON.parse(line.slice(RESULT_PREFIX.length)), stderr });
    });
  });
}

const llm = await startFakeLlm();
after(() => llm.stop());
const runs = await Promise.all(LIFECYCLES.map((lifecycle) => runProbe(lifecycle, llm.url)));

const opOf = (context) => context.attributes?.['sentry.op'];
const describe = (op, origin) => `${op} ${origin}`;
const sorted = (list) => [...list].sort();

/** Asserts one scenario's outcome: the decisions, and what the SDK sent. */
function checkScenario(client, scenario, result) {
  assert.ok(result, 'the probe ran this scenario');
  assert.equal(result.error, null, 'the client call succeeded');
  const { roots, spans } = result;
  assert.ok(roots.length > 0, 'the sampler decided at least one root');
  const expected = roots.map((r) => expectedDecision(r.context, scenario.policy));
  roots.forEach((r, i) => {
    assert.deepEqual(r.decision, expected[i], `root ${i + 1} "${r.context.name}" (${opOf(r.context)}) decided as docs/policy.md says: ${JSON.stringify(r.context)}`);
  });
  const kept = roots.filter((_, i) => expected[i].rate === 1);
  const segments = spans.filter((s) => s.segment);
  assert.deepEqual(sorted(segments.map((s) => s.op)), sorted(kept.map((r) => opOf(r.context))), 'the SDK sent exactly the roots kept');
  for (const s of segments) assert.equal(Number(s.sampleRate), 1, `${s.name}: sample rate`);

  const httpRoots = roots.filter((r) => opOf(r.context) === 'http.server');
  assert.equal(httpRoots.length, scenario.where === 'route' ? 1 : 0, 'one HTTP root per request, none standalone');
  const httpKept = httpRoots.map((r) => r.decision.rate === 1);
  assert.deepEqual(httpKept, scenario.where === 'route' ? [scenario.kept] : [], 'the request decided by the route rule');
  const aiSent = sorted(spans.filter((s) => s.op !== 'http.server').map((s) => describe(s.op, s.origin)));
  if (client.ownRoots) {
    // Every span of the run is a root of its own, decided by the sampler.
    const aiRoots = roots.filter((r) => opOf(r.context) !== 'http.server').map((r) => r.context.attributes);
    assert.deepEqual(sorted(aiRoots.map((a) => describe(a['sentry.op'], a['sentry.origin']))), sorted(client.spans), 'one root per span of the run');
    // The MCP requests (initialize, tools/call) are AI runs: kept, even under a dropped request.
    for (const r of roots.filter((x) => opOf(x.context) === 'mcp.server')) assert.equal(r.decision.rate, 1, `${r.context.name} kept`);
    const keptAi = kept.filter((r) => opOf(r.context) !== 'http.server').map((r) => r.context.attributes);
    assert.deepEqual(aiSent, sorted(keptAi.map((a) => describe(a['sentry.op'], a['sentry.origin']))), 'the kept roots sent');
    return;
  }
  // The run is one root (standalone: the AI span; in a route: the request) and its children.
  assert.equal(roots.length, 1, 'the sampler decided one root; the AI spans were its children');
  assert.equal(roots[0].decision.rate, scenario.kept ? 1 : 0, scenario.kept ? 'the run kept' : 'the run dropped with its request');
  assert.deepEqual(aiSent, kept.length ? sorted(client.spans) : [], kept.length ? 'the kept trace holds the gen_ai spans' : 'nothing of a dropped run is sent');
  if (kept.length) {
    assert.equal(new Set(spans.map((s) => s.trace)).size, 1, 'one trace');
    assert.equal(segments.length, 1, 'one segment');
    assert.equal(segments[0].op, scenario.where === 'route' ? 'http.server' : opOf(roots[0].context), 'the segment is the root decided');
    for (const s of spans.filter((x) => x.op.startsWith('gen_ai.'))) {
      assert.ok(s.attributes['gen_ai.operation.name'], `${s.name}: gen_ai.operation.name in the envelope`);
    }
  }
}

for (const run of runs) {
  for (const client of AI_CLIENTS) {
    test(`${run.traceLifecycle} ${client.id}: kept standalone, decided by the route inside a request`, async (t) => {
      for (const scenario of SCENARIOS) {
        await t.test(`${scenario.id} (policy ${JSON.stringify(POLICIES[scenario.policy])})`, () => {
          checkScenario(client, scenario, run.results.find((r) => r.client === client.id && r.scenario === scenario.id));
        });
      }
    });
  }
  test(`${run.traceLifecycle}: no root decided outside a scenario`, (t) => {
    if (run.stderr) t.diagnostic(`ai-probe.mjs ${run.traceLifecycle} wrote to stderr:\n${run.stderr}`);
    assert.deepEqual(run.stray, []);
  });
}

test('the fake LLM server got exactly one request per client call', async () => {
  const expected = {};
  for (const { endpoint } of AI_CLIENTS) {
    if (endpoint) expected[endpoint] = (expected[endpoint] ?? 0) + LIFECYCLES.length * SCENARIOS.length;
  }
  assert.deepEqual(await llm.requests(), expected);
});

test(`the recorded sampling contexts (tests/vectors/sdk_js_ai.json) are what the SDKs pass now${RECORD ? ' (recording)' : ''}`, () => {
  const now = vectorsDocument(runs);
  if (RECORD) writeFileSync(VECTORS_FILE, `${JSON.stringify(now, null, 2)}\n`);
  const recorded = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'));
  assert.deepEqual(recorded.policies, now.policies);
  assert.deepEqual(recorded.cases.map((c) => c.name), now.cases.map((c) => c.name), 'the same roots, in the same order');
  for (const [i, c] of now.cases.entries()) assert.deepEqual(recorded.cases[i], c, c.name);
});
