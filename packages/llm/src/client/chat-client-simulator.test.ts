import { randomUUID } from "node:crypto";
// The simulator lives in @mlops/testing; imported by path until that package's index re-exports it.
import { startEndpointSimulator } from "@mlops/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EndpointConfig } from "../endpoints/endpoint-config";
import { createRedisRateLimiter } from "../rate-limit/redis-rate-limiter";
import { createChatClient } from "./chat-client";

const prefix = `test:llm:sim:${randomUUID()}:`;
let workerA: Redis;
let workerB: Redis;

beforeAll(() => {
  workerA = new Redis("redis://127.0.0.1:6379");
  workerB = new Redis("redis://127.0.0.1:6379");
});
afterAll(async () => {
  const keys = await workerA.keys(`${prefix}*`);
  if (keys.length > 0) await workerA.del(...keys);
  await Promise.all([workerA.quit(), workerB.quit()]);
});

function endpoint(baseUrl: string, rateLimit?: EndpointConfig["rateLimit"]): EndpointConfig {
  return {
    name: `sim-${randomUUID().slice(0, 8)}`,
    baseUrl,
    model: "databricks-gpt-oss-20b",
    track: "internal",
    apiKey: "none",
    pricePerMillion: { input: 0.07, output: 0.3 },
    maxConcurrency: 8,
    timeoutMs: 5_000,
    ...(rateLimit ? { rateLimit } : {}),
  };
}

const classify = (i: number) => ({
  messages: [{ role: "user" as const, content: `Article ${i}: markets rallied.` }],
  temperature: 0,
});

describe("chat client against the endpoint simulator", () => {
  it("two workers sharing the Redis limit stay under the endpoint's rate: no 429 at all", async () => {
    const simulator = await startEndpointSimulator({ rps: 10, latencyMs: 5 });
    try {
      const config = endpoint(simulator.baseUrl, { requestsPerSecond: 10 });
      const a = createChatClient({
        endpoint: config,
        cache: false,
        rateLimiter: createRedisRateLimiter({ redis: workerA, prefix }),
      });
      const b = createChatClient({
        endpoint: config,
        cache: false,
        rateLimiter: createRedisRateLimiter({ redis: workerB, prefix }),
      });
      const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).complete(classify(i))));
      expect(results.every((r) => r.attempts.length === 1 && r.attempts[0]!.status === 200)).toBe(true);
      expect(simulator.stats()).toMatchObject({ requests: 24, completed: 24, rateLimited: 0 });
      expect(results.some((r) => r.attempts[0]!.queuedMs > 500)).toBe(true);
      expect(JSON.parse(results[0]!.text)).toHaveProperty("category");
      expect(results[0]!.usage.estimated).toBe(false);
    } finally {
      await simulator.close();
    }
  });

  it("without a limit, recovers from the simulator's 429s and 500s by retrying", async () => {
    const simulator = await startEndpointSimulator({ rps: 20, errorRate: 0.2, seed: 5 });
    try {
      const client = createChatClient({
        endpoint: endpoint(simulator.baseUrl),
        cache: false,
        retry: { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 1000 },
      });
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => client.complete(classify(i))));
      const statuses = results.flatMap((r) => r.attempts.map((a) => a.status));
      expect(statuses).toContain(429);
      expect(statuses).toContain(500);
      expect(results.every((r) => r.attempts.at(-1)!.status === 200)).toBe(true);
      const stats = simulator.stats();
      expect(stats.completed).toBe(40);
      expect(stats.requests).toBe(statuses.length);
      expect(client.concurrency.limit).toBeLessThan(8);
    } finally {
      await simulator.close();
    }
  });
});
