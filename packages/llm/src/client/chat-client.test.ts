import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisResponseCache } from "../cache/redis-response-cache";
import type { EndpointConfig } from "../endpoints/endpoint-config";
import { isLlmError, type LlmError } from "../errors/llm-error";
import { completionBody, type ScriptedReply, startScriptedEndpoint } from "../test-support/scripted-endpoint";
import { createChatClient } from "./chat-client";

const prefix = `test:llm:client:${randomUUID()}:`;
let redis: Redis;
const servers: Array<{ close(): Promise<void> }> = [];

beforeAll(() => {
  redis = new Redis("redis://127.0.0.1:6379");
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const ask = { messages: [{ role: "user" as const, content: "Classify: the match ended 2-1." }] };

async function endpointFor(replies: ScriptedReply[], overrides: Partial<EndpointConfig> = {}) {
  const server = await startScriptedEndpoint(replies);
  servers.push(server);
  const endpoint: EndpointConfig = {
    name: `scripted-${randomUUID().slice(0, 8)}`,
    baseUrl: server.baseUrl,
    model: "scripted-model",
    track: "internal",
    apiKey: { literal: "secret-key" },
    pricePerMillion: { input: 2, output: 10 },
    maxConcurrency: 4,
    timeoutMs: 2_000,
    ...overrides,
  };
  return { server, endpoint };
}

const fastRetry = { baseDelayMs: 20, maxDelayMs: 100 };

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (error) {
    if (isLlmError(error)) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("createChatClient", () => {
  it("sends an OpenAI chat-completions request and returns text, usage, cost and the attempt", async () => {
    const { server, endpoint } = await endpointFor([
      { status: 200, body: completionBody('{"category":"sport"}', { prompt_tokens: 1000, completion_tokens: 200 }) },
    ]);
    const client = createChatClient({ endpoint, cache: false });
    const result = await client.complete({
      ...ask,
      temperature: 0,
      maxTokens: 50,
      responseFormat: { type: "json_object" },
    });

    expect(result.text).toBe('{"category":"sport"}');
    expect(result.usage).toEqual({ promptTokens: 1000, completionTokens: 200, totalTokens: 1200, estimated: false });
    expect(result.costUsd).toBeCloseTo((1000 * 2 + 200 * 10) / 1e6, 12);
    expect(result.cached).toBe(false);
    expect(result.id).toMatch(/^chatcmpl-/);
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ attempt: 1, status: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests[0]!.path).toBe("/v1/chat/completions");
    expect(server.requests[0]!.headers.authorization).toBe("Bearer secret-key");
    expect(server.requests[0]!.body).toEqual({
      model: "scripted-model",
      messages: ask.messages,
      temperature: 0,
      max_tokens: 50,
      response_format: { type: "json_object" },
    });
  });

  it("estimates usage from text length when the endpoint reports none, and reads content parts", async () => {
    const parts = [
      { type: "reasoning", summary: [{ type: "summary_text", text: "thinking" }] },
      { type: "text", text: "positive" },
    ];
    const { endpoint } = await endpointFor([{ status: 200, body: completionBody(parts) }]);
    const result = await createChatClient({ endpoint, cache: false }).complete(ask);
    expect(result.text).toBe("positive");
    expect(result.usage.estimated).toBe(true);
    expect(result.usage.completionTokens).toBe(2);
    expect(result.usage.promptTokens).toBeGreaterThan(5);
    expect(result.costUsd).toBeGreaterThan(0);
  });

  it("retries 5xx with backoff and accounts for every attempt", async () => {
    const { server, endpoint } = await endpointFor([
      { status: 500, body: { error: { message: "boom" } } },
      { status: 503, body: "unavailable" },
      { status: 200, body: completionBody("ok", { prompt_tokens: 3, completion_tokens: 1 }) },
    ]);
    const client = createChatClient({ endpoint, cache: false, retry: fastRetry, random: () => 0 });
    const result = await client.complete(ask);
    expect(result.text).toBe("ok");
    expect(server.requests).toHaveLength(3);
    expect(result.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(result.attempts.map((a) => a.backoffMs)).toEqual([10, 20, undefined]);
    expect(result.attempts[0]!.error).toContain("boom");
  });

  it("honours Retry-After in seconds on 429 and halves the concurrency limit", async () => {
    const { endpoint } = await endpointFor([
      { status: 429, headers: { "retry-after": "1" }, body: { error: { message: "slow down" } } },
      { status: 200, body: completionBody("ok", { prompt_tokens: 3, completion_tokens: 1 }) },
    ]);
    const client = createChatClient({ endpoint, cache: false, retry: fastRetry, random: () => 0 });
    const started = Date.now();
    const result = await client.complete(ask);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.attempts[0]).toMatchObject({ status: 429, retryAfterMs: 1000, backoffMs: 1000 });
    expect(client.concurrency.limit).toBe(2);
  });

  it("fails with LLM_RATE_LIMITED once the retries are spent", async () => {
    const { server, endpoint } = await endpointFor([{ status: 429, headers: { "retry-after-ms": "5" } }]);
    const client = createChatClient({ endpoint, cache: false, retry: { ...fastRetry, maxAttempts: 3 } });
    const error = await failure(client.complete(ask));
    expect(error.code).toBe("LLM_RATE_LIMITED");
    expect(error.message).toContain("gave up after 3 attempts");
    expect(server.requests).toHaveLength(3);
    expect((error.context.attempts as unknown[]).length).toBe(3);
  });

  it("fails at once on a non-retryable 4xx with the endpoint's message", async () => {
    const { server, endpoint } = await endpointFor([{ status: 401, body: { message: "Invalid access token" } }]);
    const error = await failure(createChatClient({ endpoint, cache: false, retry: fastRetry }).complete(ask));
    expect(error.code).toBe("LLM_REQUEST_REJECTED");
    expect(error.message).toContain("Invalid access token");
    expect(error.hint).toContain("credential");
    expect(server.requests).toHaveLength(1);
  });

  it("times out slow attempts with LLM_TIMEOUT", async () => {
    const { server, endpoint } = await endpointFor([{ status: 200, body: completionBody("late"), delayMs: 1_000 }], {
      timeoutMs: 100,
    });
    const client = createChatClient({ endpoint, cache: false, retry: { ...fastRetry, maxAttempts: 2 } });
    const error = await failure(client.complete(ask));
    expect(error.code).toBe("LLM_TIMEOUT");
    expect(server.requests).toHaveLength(2);
    expect((error.context.attempts as Array<{ status: string }>).map((a) => a.status)).toEqual(["timeout", "timeout"]);
  });

  it("reports a refused connection as LLM_ENDPOINT_UNAVAILABLE with the URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { endpoint } = await endpointFor([], { baseUrl: `http://127.0.0.1:${port}/v1` });
    const client = createChatClient({ endpoint, cache: false, retry: { ...fastRetry, maxAttempts: 2 } });
    const error = await failure(client.complete(ask));
    expect(error.code).toBe("LLM_ENDPOINT_UNAVAILABLE");
    expect(error.message).toContain(`http://127.0.0.1:${port}/v1/chat/completions`);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("fails with LLM_BAD_RESPONSE on a body that is not a completion, and never caches errors", async () => {
    const { server, endpoint } = await endpointFor([
      { status: 200, body: { result: "nope" } },
      { status: 200, body: completionBody("fine", { prompt_tokens: 3, completion_tokens: 1 }) },
    ]);
    const cache = createRedisResponseCache({ redis, prefix });
    const client = createChatClient({ endpoint, cache });
    const error = await failure(client.complete(ask));
    expect(error.code).toBe("LLM_BAD_RESPONSE");
    expect((await client.complete(ask)).text).toBe("fine");
    expect(server.requests).toHaveLength(2);
  });

  it("answers a repeated request from the Redis cache at zero cost", async () => {
    const { server, endpoint } = await endpointFor([
      { status: 200, body: completionBody("cached answer", { prompt_tokens: 100, completion_tokens: 10 }) },
    ]);
    const cache = createRedisResponseCache({ redis, prefix });
    const first = await createChatClient({ endpoint, cache }).complete({ ...ask, temperature: 0 });
    // A second client (another worker) shares the cache.
    const second = await createChatClient({ endpoint, cache }).complete({ ...ask, temperature: 0 });
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, costUsd: 0, text: "cached answer", attempts: [] });
    expect(second.usage.promptTokens).toBe(100);
    expect(second.cacheKey).toBe(first.cacheKey);
    expect(server.requests).toHaveLength(1);
    const other = await createChatClient({ endpoint, cache }).complete({ ...ask, temperature: 0.7 });
    expect(other.cached).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it("redacts PII before external endpoints and reports the counts; internal endpoints get the prompt as is", async () => {
    const content = "Write to ann@example.com or call +1 415 555 0132, card 4111 1111 1111 1111.";
    const external = await endpointFor([{ status: 200, body: completionBody("ok") }], { track: "external" });
    const result = await createChatClient({ endpoint: external.endpoint, cache: false }).complete({
      messages: [{ role: "user", content }],
    });
    expect(result.redactions).toEqual({ email: 1, phone: 1, card: 1 });
    const sent = external.server.requests[0]!.body.messages as Array<{ content: string }>;
    expect(sent[0]!.content).toBe("Write to [EMAIL] or call [PHONE], card [CARD].");

    const internal = await endpointFor([{ status: 200, body: completionBody("ok") }]);
    const plain = await createChatClient({ endpoint: internal.endpoint, cache: false }).complete({
      messages: [{ role: "user", content }],
    });
    expect(plain.redactions).toEqual({ email: 0, phone: 0, card: 0 });
    expect((internal.server.requests[0]!.body.messages as Array<{ content: string }>)[0]!.content).toBe(content);
  });

  it("refuses to build a client without the endpoint's credentials", () => {
    const endpoint: EndpointConfig = {
      name: "databricks-gpt-oss-20b",
      model: "databricks-gpt-oss-20b",
      track: "internal",
      apiKey: "databricks",
      pricePerMillion: { input: 0, output: 0 },
      maxConcurrency: 1,
      timeoutMs: 1000,
    };
    expect(() => createChatClient({ endpoint })).toThrowError(
      expect.objectContaining({
        code: "LLM_MISSING_CREDENTIALS",
        message: expect.stringContaining("DATABRICKS_HOST and DATABRICKS_TOKEN"),
      }),
    );
  });
});
