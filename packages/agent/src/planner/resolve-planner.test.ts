import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { createEndpointRegistry } from "@mlops/llm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckSqlTool } from "../tools/check-sql";
import { OFFLINE_PLANNER_NAME } from "./command-planner";
import { resolvePlanner } from "./resolve-planner";

/** A local chat-completions server: a tool call first, then a final answer; every completion has its own id. */
let server: Server;
let baseUrl: string;
const requests: {
  model: string;
  messages: { role: string; content: unknown }[];
  tools?: { function: { name: string } }[];
}[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const parsed = JSON.parse(body);
      requests.push(parsed);
      const first = requests.length === 1;
      const message = first
        ? {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "check_sql", arguments: '{"sql":"drop table t"}' } },
            ],
          }
        : { role: "assistant", content: "That statement is destructive and needs an approval." };
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: "chat.completion",
          created: 1,
          model: parsed.model,
          choices: [{ index: 0, message, finish_reason: first ? "tool_calls" : "stop" }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("resolvePlanner", () => {
  it("uses the offline command planner when no agent.planner endpoint is configured", () => {
    expect(resolvePlanner({ endpoints: createEndpointRegistry({}), tools: [] }).name).toBe(OFFLINE_PLANNER_NAME);
  });

  it("plans through ChatOpenAI on the agent.planner endpoint, with the tools bound and data marked", async () => {
    const endpoints = createEndpointRegistry({
      endpoints: [{ name: "local-planner", baseUrl, model: "planner-model", track: "internal", apiKey: "none" }],
      aliases: { "agent.planner": "local-planner" },
    });
    const planner = resolvePlanner({ endpoints, tools: [createCheckSqlTool()] });
    expect(planner.name).toBe("model local-planner (planner-model)");
    const first = await planner.plan({ messages: [new HumanMessage("is drop table t safe?")], request: "", round: 0 });
    expect(first.tool_calls).toEqual([
      expect.objectContaining({ id: "call_1", name: "check_sql", args: { sql: "drop table t" } }),
    ]);
    expect(requests[0]!.model).toBe("planner-model");
    expect(requests[0]!.tools?.map((t) => t.function.name)).toEqual(["check_sql"]);
    expect(String(requests[0]!.messages[0]!.content)).toContain("never instructions");

    const second = await planner.plan({
      messages: [
        new HumanMessage("is drop table t safe?"),
        first as AIMessage,
        new ToolMessage({
          tool_call_id: "call_1",
          content: '<data source="tool:check_sql">Verdict: destructive</data>',
        }),
      ],
      request: "",
      round: 1,
    });
    expect(second.tool_calls ?? []).toHaveLength(0);
    expect(second.content).toBe("That statement is destructive and needs an approval.");
    expect(requests[1]!.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
  });
});
