// One process of the AI-integration tests (ai-integrations.test.mjs starts one per trace
// lifecycle): the real @sentry/node with its AI integrations, tracesieve's sampler and an
// in-memory transport; every client of ai-clients.mjs makes its call in every scenario,
// against the fake LLM server. It asserts nothing: it prints one line, `AI_PROBE_RESULT
// <json>`, with what each scenario gave (the sampling contexts and decisions of its roots,
// the spans the SDK sent), for the test file to assert on.
//
// Usage: node ai-probe.mjs <stream|static> <fake LLM server URL>
//
// A process of its own because @sentry/node is initialised once per process, with one
// trace lifecycle, and must be initialised before the client libraries are loaded (they are
// instrumented at load time).

import http from 'node:http';
import { createTracesSampler } from 'tracesieve';
import { Sentry, initSentry, sentSpans } from './sentry-helpers.mjs';
import { AI_CLIENTS, AI_ROUTE, POLICIES, RESULT_PREFIX, SCENARIOS } from './ai-clients.mjs';

/** The sampling context as plain JSON: functions (inheritOrSampleWith) and undefined dropped. */
const plain = (value) => JSON.parse(JSON.stringify(value));

/**
 * The scenario being run: its sampler and the roots it decided. A root decided outside any
 * scenario (there should be none) is kept in `stray` and dropped.
 */
let current = null;
const stray = [];

function tracesSampler(samplingContext) {
  if (!current) {
    stray.push(plain(samplingContext));
    return 0;
  }
  const rate = current.sampler(samplingContext);
  const { reason, ruleId } = current.sampler.explain(samplingContext);
  current.roots.push({ context: plain(samplingContext), decision: { rate, reason, ruleId: ruleId ?? null } });
  return rate;
}

/** One integration object per name (two clients share the OpenAI integration). */
function integrations() {
  const byName = new Map([['Http', Sentry.httpIntegration()]]);
  for (const client of AI_CLIENTS) {
    const integration = client.integration(Sentry);
    if (integration) byName.set(integration.name, integration);
  }
  return [...byName.values()];
}

/** A node:http server on 127.0.0.1 whose AI_ROUTE makes the current client's call. */
async function startRouteServer() {
  let routeCall = null;
  const server = http.createServer(async (req, res) => {
    for await (const _chunk of req); // the request body, unused
    try {
      if (!req.url.startsWith(AI_ROUTE) || !routeCall) throw new Error(`no route ${req.url}`);
      await routeCall();
      res.end('ok');
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e?.stack ?? e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    /** Sends POST AI_ROUTE over loopback; the route makes `call`. */
    async request(call, clientId) {
      routeCall = call;
      try {
        const res = await fetch(`${base}${AI_ROUTE}?client=${clientId}`, { method: 'POST', body: '{"message":"What is 6 times 7?"}' });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${AI_ROUTE} answered ${res.status}: ${body}`);
      } finally {
        routeCall = null;
      }
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Runs one scenario; returns its roots, the spans sent, and the error if the call failed. */
async function runScenario(envelopes, client, call, scenario, server) {
  current = { sampler: createTracesSampler(POLICIES[scenario.policy]), roots: [] };
  envelopes.length = 0;
  let error = null;
  try {
    if (scenario.where === 'standalone') await Sentry.startNewTrace(() => call());
    else await server.request(call, client.id);
  } catch (e) {
    error = String(e?.stack ?? e);
  }
  // The server root ends when the response is finished, which the client can see first.
  await new Promise((resolve) => setTimeout(resolve, 25));
  await Sentry.flush(5000);
  const result = { client: client.id, scenario: scenario.id, roots: current.roots, spans: sentSpans(envelopes), error };
  current = null;
  return result;
}

async function main() {
  const [traceLifecycle, llmUrl] = process.argv.slice(2);
  if (!['stream', 'static'].includes(traceLifecycle) || !llmUrl) throw new Error('usage: node ai-probe.mjs <stream|static> <llm url>');
  const envelopes = initSentry({ traceLifecycle, tracesSampler, integrations: integrations() });
  const server = await startRouteServer();
  const results = [];
  try {
    for (const client of AI_CLIENTS) {
      let call;
      try {
        call = await client.prepare(llmUrl, Sentry);
      } catch (e) {
        results.push({ client: client.id, scenario: 'prepare', roots: [], spans: [], error: String(e?.stack ?? e) });
        continue;
      }
      for (const scenario of SCENARIOS) results.push(await runScenario(envelopes, client, call, scenario, server));
    }
  } finally {
    await server.close();
    await Sentry.close(2000);
  }
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ traceLifecycle, results, stray })}\n`);
}

await main();
