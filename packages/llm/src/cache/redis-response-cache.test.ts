import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatCacheKey } from "./cache-key";
import { createRedisResponseCache } from "./redis-response-cache";
import { type CachedCompletion, createMemoryResponseCache } from "./response-cache";

const prefix = `test:llm:cache:${randomUUID()}:`;
let redis: Redis;
const value: CachedCompletion = {
  text: '{"category":"sport"}',
  usage: { promptTokens: 12, completionTokens: 5, estimated: false },
  model: "m",
  id: "chatcmpl-1",
  createdAt: "2025-01-01T00:00:00.000Z",
};

beforeAll(() => {
  redis = new Redis("redis://127.0.0.1:6379");
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe("response caches", () => {
  it("round-trips through Redis with a TTL and treats unparsable entries as misses", async () => {
    const cache = createRedisResponseCache({ redis, prefix, ttlSeconds: 60 });
    expect(await cache.get("k1")).toBeUndefined();
    await cache.set("k1", value);
    expect(await cache.get("k1")).toEqual(value);
    expect(await redis.ttl(`${prefix}k1`)).toBeGreaterThan(50);
    await redis.set(`${prefix}k2`, "{not json");
    expect(await cache.get("k2")).toBeUndefined();
  });

  it("evicts the least recently used entry in memory", async () => {
    const cache = createMemoryResponseCache({ maxEntries: 2 });
    await cache.set("a", value);
    await cache.set("b", value);
    await cache.get("a");
    await cache.set("c", value);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toEqual(value);
  });

  it("keys do not depend on property order, and do depend on every parameter", () => {
    const base = { endpoint: "e", model: "m", messages: [{ role: "user", content: "hi" }] };
    const k1 = chatCacheKey({ ...base, parameters: { temperature: 0, maxTokens: 10 } });
    const k2 = chatCacheKey({ ...base, parameters: { maxTokens: 10, temperature: 0, responseFormat: undefined } });
    const k3 = chatCacheKey({ ...base, parameters: { temperature: 0.5, maxTokens: 10 } });
    expect(k1).toBe(k2);
    expect(k1).not.toBe(k3);
    expect(k1).toMatch(/^[0-9a-f]{64}$/);
  });
});
