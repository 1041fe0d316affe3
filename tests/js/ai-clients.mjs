// The AI client libraries under test, one entry per @sentry/node AI integration: how to
// enable the integration, and how to make one real call through the real client library
// against the loopback fake LLM server (tests/fakes/llm_server.py).
//
// Every client library is imported lazily, by `prepare()`, after `Sentry.init`: @sentry/node
// 11 instruments them by injecting diagnostics channels when the module is loaded (the
// runtime hook that `Sentry.init` registers), so a library loaded before init would stay
// uninstrumented.

/**
 * @typedef {object} AiClient
 * @property {string} id            short name, used in test and vector names
 * @property {(Sentry: object) => object} integration  the @sentry/node integration that instruments it
 * @property {(llmUrl: string, Sentry: object) => Promise<() => Promise<unknown>>} prepare
 *   imports the library and builds a client; returns the call to make (one AI run)
 * @property {string|null} endpoint the fake LLM server's path that one call requests (once)
 * @property {string[]} spans      the spans one call makes, as `op origin` (what the SDK sends
 *   when the run is kept)
 * @property {boolean} [ownRoots]   the SDK makes each of these spans a root of its own
 *   (forceTransaction), even inside an HTTP request, instead of a child of the request's root
 */

const MESSAGES = [{ role: 'user', content: 'What is 6 times 7?' }];
const API_KEY = 'sk-test-not-a-real-key';

/** @type {AiClient[]} */
export const AI_CLIENTS = [
  {
    id: 'openai-chat',
    endpoint: '/v1/chat/completions',
    spans: ['gen_ai.chat auto.ai.openai'],
    integration: (Sentry) => Sentry.openAIIntegration(),
    async prepare(llmUrl) {
      const { default: OpenAI } = await import('openai');
      const client = new OpenAI({ baseURL: `${llmUrl}/v1`, apiKey: API_KEY, maxRetries: 0 });
      return () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    },
  },
  {
    id: 'openai-responses-stream',
    endpoint: '/v1/responses',
    spans: ['gen_ai.chat auto.ai.openai'],
    integration: (Sentry) => Sentry.openAIIntegration(),
    async prepare(llmUrl) {
      const { default: OpenAI } = await import('openai');
      const client = new OpenAI({ baseURL: `${llmUrl}/v1`, apiKey: API_KEY, maxRetries: 0 });
      return async () => {
        const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'What is 6 times 7?', stream: true });
        let text = '';
        for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
        return text;
      };
    },
  },
  {
    id: 'anthropic',
    endpoint: '/v1/messages',
    spans: ['gen_ai.chat auto.ai.anthropic'],
    integration: (Sentry) => Sentry.anthropicAIIntegration(),
    async prepare(llmUrl) {
      const { default: Anthropic } = await import('@anthropic-ai/sdk');
      const client = new Anthropic({ baseURL: llmUrl, apiKey: API_KEY, maxRetries: 0 });
      return () => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: MESSAGES });
    },
  },
  {
    id: 'google-genai',
    endpoint: '/v1beta/models/gemini-2.0-flash:generateContent',
    spans: ['gen_ai.generate_content auto.ai.google_genai'],
    integration: (Sentry) => Sentry.googleGenAIIntegration(),
    async prepare(llmUrl) {
      const { GoogleGenAI } = await import('@google/genai');
      const client = new GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: llmUrl } });
      return () => client.models.generateContent({ model: 'gemini-2.0-flash', contents: 'What is 6 times 7?' });
    },
  },
  {
    id: 'vercel-ai',
    endpoint: '/v1/responses',
    spans: ['gen_ai.invoke_agent auto.ai.vercelai', 'gen_ai.generate_content auto.ai.vercelai'],
    integration: (Sentry) => Sentry.vercelAIIntegration(),
    async prepare(llmUrl) {
      const { generateText } = await import('ai');
      const { createOpenAI } = await import('@ai-sdk/openai');
      const provider = createOpenAI({ baseURL: `${llmUrl}/v1`, apiKey: API_KEY });
      return () => generateText({ model: provider('gpt-4o-mini'), prompt: 'What is 6 times 7?', maxRetries: 0 });
    },
  },
  {
    id: 'langchain',
    endpoint: '/v1/chat/completions',
    spans: ['gen_ai.chat auto.ai.langchain'],
    integration: (Sentry) => Sentry.langChainIntegration(),
    async prepare(llmUrl) {
      const { ChatOpenAI } = await import('@langchain/openai');
      const model = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: API_KEY, maxRetries: 0, configuration: { baseURL: `${llmUrl}/v1` } });
      return () => model.invoke(MESSAGES);
    },
  },
  {
    id: 'langgraph',
    endpoint: '/v1/chat/completions',
    spans: ['gen_ai.invoke_agent auto.ai.langgraph', 'gen_ai.chat auto.ai.langchain'],
    integration: (Sentry) => Sentry.langGraphIntegration(),
    async prepare(llmUrl) {
      const { StateGraph, MessagesAnnotation, START, END } = await import('@langchain/langgraph');
      const { ChatOpenAI } = await import('@langchain/openai');
      const model = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: API_KEY, maxRetries: 0, configuration: { baseURL: `${llmUrl}/v1` } });
      const graph = new StateGraph(MessagesAnnotation)
        .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
        .addEdge(START, 'agent')
        .addEdge('agent', END)
        .compile({ name: 'probe_agent' });
      return () => graph.invoke({ messages: MESSAGES });
    },
  },
  {
    // The MCP server over the SDK's in-memory transport: a client connects (initialize) and
    // calls one tool (tools/call). Sentry's MCP instrumentation is wrapMcpServerWithSentry.
    id: 'mcp-server',
    endpoint: null,
    spans: [
      'mcp.server auto.function.mcp_server', // initialize
      'mcp.notification.client_to_server auto.function.mcp_server.notification', // notifications/initialized
      'mcp.server auto.function.mcp_server', // tools/call add
    ],
    integration: () => null,
    ownRoots: true,
    async prepare(_llmUrl, Sentry) {
      const { McpServer } = await import('@modelcontextprotocol/sdk/server/mcp.js');
      const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
      const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
      const { z } = await import('zod');
      return async () => {
        const server = Sentry.wrapMcpServerWithSentry(new McpServer({ name: 'calculator', version: '1.0.0' }));
        server.registerTool('add', { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
          content: [{ type: 'text', text: String(a + b) }],
        }));
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await server.connect(serverSide);
        const client = new Client({ name: 'probe-client', version: '1.0.0' });
        await client.connect(clientSide);
        try {
          const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
          if (result.content?.[0]?.text !== '42') throw new Error(`tools/call add answered ${JSON.stringify(result)}`);
          return result;
        } finally {
          await client.close();
          await server.close();
        }
      };
    },
  },
];

/** The two policies every AI run is decided under. */
export const POLICIES = {
  // No route rule: only the genAi predicate keeps anything.
  noRoute: { defaultRate: 0 },
  // The route that serves the AI feature is listed: its HTTP roots are kept too.
  aiRoute: { defaultRate: 0, genAi: { routes: ['/api/chat*'] } },
};

/** The AI route of the probe's HTTP server (matched by `POLICIES.aiRoute`). */
export const AI_ROUTE = '/api/chat';

/**
 * Where each client's call runs and under which policy: standalone (no active span), and
 * inside a request to `AI_ROUTE` of a real node:http server, with and without the route rule.
 * `kept`: whether the run's root is kept (standalone, the AI root; in a route, the request).
 */
export const SCENARIOS = [
  { id: 'standalone', where: 'standalone', policy: 'noRoute', kept: true },
  { id: 'route-listed', where: 'route', policy: 'aiRoute', kept: true },
  { id: 'route-unlisted', where: 'route', policy: 'noRoute', kept: false },
];

/** The prefix of the one line ai-probe.mjs prints its JSON result on. */
export const RESULT_PREFIX = 'AI_PROBE_RESULT ';
