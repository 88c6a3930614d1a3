import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisRateLimiter } from "./redis-rate-limiter";

const prefix = `test:llm:rate:${randomUUID()}:`;
let workerA: Redis;
let workerB: Redis;

beforeAll(() => {
  workerA = new Redis("redis://127.0.0.1:6379", { lazyConnect: false });
  workerB = new Redis("redis://127.0.0.1:6379", { lazyConnect: false });
});

afterAll(async () => {
  const keys = await workerA.keys(`${prefix}*`);
  if (keys.length > 0) await workerA.del(...keys);
  await workerA.quit();
  await workerB.quit();
});

describe("createRedisRateLimiter", () => {
  it("holds 10 requests/s across two workers with their own connections", async () => {
    const a = createRedisRateLimiter({ redis: workerA, prefix });
    const b = createRedisRateLimiter({ redis: workerB, prefix });
    const limit = { requestsPerSecond: 10 };
    const granted: number[] = [];
    const start = Date.now();
    const take = async (limiter: typeof a) => {
      for (let i = 0; i < 6; i++) {
        await limiter.acquire({ key: "shared-endpoint", limit });
        granted.push(Date.now() - start);
      }
    };
    // Each worker runs two concurrent loops: 24 requests in all, which must take at least 2.3 s at 10/s.
    await Promise.all([take(a), take(a), take(b), take(b)]);
    expect(granted).toHaveLength(24);
    granted.sort((x, y) => x - y);
    // In any one-second window, at most 10 grants (+1 for the window's edges).
    for (let i = 0; i + 11 < granted.length; i++) {
      expect(granted[i + 11]! - granted[i]!).toBeGreaterThanOrEqual(1000);
    }
    expect(granted.at(-1)!).toBeGreaterThanOrEqual(2250);
  }, 20_000);

  it("refuses above the rate and says how long to wait; another endpoint has its own bucket", async () => {
    const a = createRedisRateLimiter({ redis: workerA, prefix });
    const b = createRedisRateLimiter({ redis: workerB, prefix });
    const limit = { requestsPerSecond: 2, burst: 2 };
    expect((await a.tryAcquire({ key: "slow", limit })).allowed).toBe(true);
    expect((await b.tryAcquire({ key: "slow", limit })).allowed).toBe(true);
    const refused = await a.tryAcquire({ key: "slow", limit });
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(500);
    expect((await b.tryAcquire({ key: "other", limit })).allowed).toBe(true);
  });

  it("counts tokens per minute", async () => {
    const a = createRedisRateLimiter({ redis: workerA, prefix });
    const b = createRedisRateLimiter({ redis: workerB, prefix });
    const limit = { tokensPerMinute: 1000 };
    expect((await a.tryAcquire({ key: "tpm", limit, tokens: 600 })).allowed).toBe(true);
    const refused = await b.tryAcquire({ key: "tpm", limit, tokens: 600 });
    expect(refused.allowed).toBe(false);
    // 200 tokens over budget at 1000/min → about 12 s.
    expect(refused.retryAfterMs).toBeGreaterThan(11_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(12_100);
    expect((await b.tryAcquire({ key: "tpm", limit, tokens: 300 })).allowed).toBe(true);
  });
});
