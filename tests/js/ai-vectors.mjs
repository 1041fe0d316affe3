// What the AI-integration tests expect of each root, and the conformance vectors they record
// (tests/vectors/sdk_js_ai.json): the sampling contexts the real SDKs produced, with the
// decision docs/policy.md says each must get.

import { AI_CLIENTS, POLICIES, SCENARIOS } from './ai-clients.mjs';

export const VECTORS_FILE = new URL('../vectors/sdk_js_ai.json', import.meta.url);

const GEN_AI = { rate: 1, reason: 'genAi', ruleId: 'genAi' };
// Loopback ports change every run; the vectors carry this one instead.
const PORT_PLACEHOLDER = 8000;

const attributesOf = (context) => context.attributes ?? {};

/**
 * The signals that make a root an AI run (docs/policy.md, "The AI predicate"), with the
 * attribute `vercel.ai.operationId` that @sentry/node 11's Vercel AI integration sets (the
 * predicate's Vercel signal names `ai.operationId`). Empty for a root that is no AI run.
 */
export function aiSignals(context) {
  const attributes = attributesOf(context);
  const op = String(attributes['sentry.op'] ?? '');
  const origin = String(attributes['sentry.origin'] ?? '');
  const signals = [];
  if (op.startsWith('gen_ai.')) signals.push(`op ${op}`);
  if (op === 'mcp.server') signals.push('op mcp.server');
  if (origin.startsWith('auto.ai.')) signals.push(`origin ${origin}`);
  if (Object.keys(attributes).some((k) => k.startsWith('gen_ai.'))) signals.push('gen_ai.* attribute');
  if ('vercel.ai.operationId' in attributes) signals.push('vercel.ai.operationId');
  if (String(context.name ?? '').startsWith('ai.') && 'ai.operationId' in attributes) signals.push('ai.operationId');
  return signals;
}

/**
 * The root's path, from the sources these contexts carry (docs/policy.md, "Where the fields
 * come from"): `url.path`, else the request's URL (a root started while serving a request,
 * such as an MCP message, has the request in `normalizedRequest`).
 */
function pathOf(context) {
  const path = attributesOf(context)['url.path'];
  if (typeof path === 'string') return path;
  const url = context.normalizedRequest?.url;
  return typeof url === 'string' ? new URL(url).pathname : null;
}

/**
 * Whether a root serves a request, which `genAi.routes` need (docs/policy.md, "genAi"): no
 * op, an op `*.server`, or `rack.request`. An MCP notification inside a request is not.
 */
function servesARequest(context) {
  const op = attributesOf(context)['sentry.op'];
  return op === undefined || op === null || String(op).endsWith('.server') || op === 'rack.request';
}

/** Whether a path matches one of the policy's `genAi.routes` (globs ending in `*` here). */
function onRoute(path, routes = []) {
  return path !== null && routes.some((r) => (r.endsWith('*') ? path.startsWith(r.slice(0, -1)) : path === r));
}

/**
 * The decision a root must get under the named policy, by docs/policy.md's precedence: an AI
 * run or a root that serves a request on a listed route is kept by the genAi rule (even under an unsampled
 * parent); any other root follows its parent's decision, else the default rate. Written from
 * the docs, not from the engine, for the roots these tests make.
 */
export function expectedDecision(context, policyName) {
  const policy = POLICIES[policyName];
  if (aiSignals(context).length > 0) return GEN_AI;
  if (servesARequest(context) && onRoute(pathOf(context), policy.genAi?.routes)) return GEN_AI;
  if (typeof context.parentSampled === 'boolean') return { rate: context.parentSampled ? 1 : 0, reason: 'parent', ruleId: null };
  return { rate: policy.defaultRate, reason: 'default', ruleId: null };
}

/** A sampling context with its loopback ports replaced, stable from run to run. */
export function normalizeContext(context) {
  return JSON.parse(JSON.stringify(context).replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${PORT_PLACEHOLDER}`));
}

/**
 * The vectors file for the probe runs (one per trace lifecycle): one case per root the
 * sampler decided, named by client, lifecycle, scenario and root, in a stable order.
 */
export function vectorsDocument(runs) {
  const cases = [];
  for (const client of AI_CLIENTS) {
    for (const run of runs) {
      for (const scenario of SCENARIOS) {
        const result = run.results.find((r) => r.client === client.id && r.scenario === scenario.id);
        (result?.roots ?? []).forEach((root, i) => {
          const context = normalizeContext(root.context);
          cases.push({
            name: `${client.id} ${run.traceLifecycle} ${scenario.id} root ${i + 1}: ${context.name}`,
            sdk: 'js',
            policyRef: scenario.policy,
            context,
            expect: expectedDecision(context, scenario.policy),
          });
        });
      }
    }
  }
  return {
    description:
      'The sampling contexts @sentry/node 11.11.0 passes to tracesSampler for the roots of real AI client calls ' +
      '(openai, @anthropic-ai/sdk, @google/genai, ai + @ai-sdk/openai, @langchain/openai, @langchain/langgraph, ' +
      'an MCP server wrapped by wrapMcpServerWithSentry) against a loopback fake LLM server, standalone and inside ' +
      'a node:http route, in both trace lifecycles. Recorded by `RECORD=1 node --test ai-integrations.test.mjs` in ' +
      `tests/js; ports are replaced by ${PORT_PLACEHOLDER}.`,
    policies: POLICIES,
    cases,
  };
}
