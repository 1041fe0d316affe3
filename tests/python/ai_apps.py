"""The real AI client libraries, each pointed at the loopback fake LLM server, and the
sentry-sdk 2.75 integration that instruments it (used by test_ai_integrations.py).

`CASES` is the table: one `AiCase` per integration, with `call(base_url)` doing one real
run of the library (a chat, an agent run, an MCP tools/call) against tests/fakes/llm_server.py,
and the ops the kept trace must hold. Every client gets a fake API key and no retries.
"""

import asyncio
import dataclasses
from typing import Any, Callable, FrozenSet, List

MODEL = "gpt-4o-mini"


@dataclasses.dataclass(frozen=True)
class AiCase:
    name: str  # the sentry-sdk integration's identifier
    integration: Callable[[], Any]  # makes the sentry-sdk Integration
    call: Callable[[str], Any]  # one run of the real library against the fake server's base URL
    ops: FrozenSet[str]  # ops the kept trace holds (root or children)
    paths: FrozenSet[str]  # the fake server's paths the run calls

    def __str__(self) -> str:
        return self.name


def _openai(base: str) -> Any:
    import openai

    with openai.OpenAI(api_key="fake", base_url=f"{base}/v1", max_retries=0) as client:
        return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])


def _anthropic(base: str) -> Any:
    import anthropic

    with anthropic.Anthropic(api_key="fake", base_url=base, max_retries=0) as client:
        return client.messages.create(
            model="claude-sonnet-4-5", max_tokens=64, messages=[{"role": "user", "content": "hi"}]
        )


def _google_genai(base: str) -> Any:
    from google import genai
    from google.genai import types

    options = types.HttpOptions(base_url=base, retry_options=types.HttpRetryOptions(attempts=1))
    client = genai.Client(api_key="fake", http_options=options)
    try:
        return client.models.generate_content(model="gemini-2.0-flash", contents="hi")
    finally:
        client.close()


def _huggingface_hub(base: str) -> Any:
    from unittest import mock

    from huggingface_hub import InferenceClient, constants

    client = InferenceClient(base_url=f"{base}/v1", api_key="fake")
    # Its user agent fetches a registry from the Hub (huggingface.co): the fake server is the Hub
    # too (a 404 there means no registry). HF_HUB_OFFLINE=1 would refuse the chat call itself.
    with mock.patch.object(constants, "ENDPOINT", base):
        return client.chat_completion(messages=[{"role": "user", "content": "hi"}], model=MODEL)


def _langgraph(base: str) -> Any:
    from langchain_openai import ChatOpenAI
    from langgraph.graph import START, MessagesState, StateGraph

    model = ChatOpenAI(model=MODEL, api_key="fake", base_url=f"{base}/v1", max_retries=0)

    def chat(state: MessagesState) -> Any:
        return {"messages": [model.invoke(state["messages"])]}

    graph = StateGraph(MessagesState)
    graph.add_node("chat", chat)
    graph.add_edge(START, "chat")
    return graph.compile(name="support_agent").invoke({"messages": [("user", "hi")]})


def _openai_agents(base: str) -> Any:
    import agents
    import openai

    async def run() -> Any:
        client = openai.AsyncOpenAI(api_key="fake", base_url=f"{base}/v1", max_retries=0)
        try:
            model = agents.OpenAIResponsesModel(model=MODEL, openai_client=client)
            agent = agents.Agent(name="support_agent", instructions="Answer briefly.", model=model)
            return await agents.Runner.run(agent, "hi")
        finally:
            await client.close()

    agents.set_tracing_disabled(True)  # the library's own exporter would call out to the internet
    return asyncio.run(run())


def _pydantic_ai(base: str) -> Any:
    import openai
    from pydantic_ai import Agent
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    async def run() -> Any:
        client = openai.AsyncOpenAI(api_key="fake", base_url=f"{base}/v1", max_retries=0)
        try:
            model = OpenAIChatModel(MODEL, provider=OpenAIProvider(openai_client=client))
            return await Agent(model, name="support_agent").run("hi")
        finally:
            await client.close()

    return asyncio.run(run())


def _mcp(base: str) -> Any:
    from mcp import Client
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("calculator")  # built after sentry_sdk.init: the integration patches Server.__init__

    @server.tool()
    def add(a: int, b: int) -> int:
        return a + b

    async def run() -> Any:
        async with Client(server) as client:
            return await client.call_tool("add", {"a": 1, "b": 2})

    return asyncio.run(run())


def _integration(module: str, cls: str) -> Callable[[], Any]:
    def make() -> Any:
        import importlib

        return getattr(importlib.import_module(f"sentry_sdk.integrations.{module}"), cls)()

    return make


CHAT = frozenset({"/v1/chat/completions"})
CASES: List[AiCase] = [
    AiCase("openai", _integration("openai", "OpenAIIntegration"), _openai, frozenset({"gen_ai.chat"}), CHAT),
    AiCase("anthropic", _integration("anthropic", "AnthropicIntegration"), _anthropic,
           frozenset({"gen_ai.chat"}), frozenset({"/v1/messages"})),
    AiCase("google_genai", _integration("google_genai", "GoogleGenAIIntegration"), _google_genai,
           frozenset({"gen_ai.chat"}), frozenset({"/v1/models/gemini-2.0-flash:generateContent"})),
    AiCase("huggingface_hub", _integration("huggingface_hub", "HuggingfaceHubIntegration"), _huggingface_hub,
           frozenset({"gen_ai.chat"}), CHAT),
    AiCase("langgraph", _integration("langgraph", "LanggraphIntegration"), _langgraph,
           frozenset({"gen_ai.invoke_agent"}), CHAT),
    AiCase("openai_agents", _integration("openai_agents", "OpenAIAgentsIntegration"), _openai_agents,
           frozenset({"gen_ai.invoke_agent", "gen_ai.chat"}), frozenset({"/v1/responses"})),
    AiCase("pydantic_ai", _integration("pydantic_ai", "PydanticAIIntegration"), _pydantic_ai,
           frozenset({"gen_ai.invoke_agent", "gen_ai.chat"}), CHAT),
    AiCase("mcp", _integration("mcp", "MCPIntegration"), _mcp, frozenset({"mcp.server"}), frozenset()),
]
