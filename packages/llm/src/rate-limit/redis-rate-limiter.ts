import { type Clock, systemClock } from "@mlops/core";
import type { Redis } from "ioredis";
import { acquireByPolling, gcraCells, type RateLimiter } from "./rate-limiter";

// GCRA over one or two cells (requests/s, tokens/min). Time comes from Redis, so every worker shares one clock.
// Either all cells accept and advance, or none does and the longest wait is returned.
const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = 0
local tats = {}
for i = 1, #KEYS do
  local increment = tonumber(ARGV[2 * i - 1])
  local tolerance = tonumber(ARGV[2 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local nextTat = tat + increment
  local w = nextTat - now - tolerance
  if w > wait then wait = w end
  tats[i] = nextTat
end
if wait > 0 then return {0, math.ceil(wait / 1000)} end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], string.format('%.0f', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000) + 1000)
end
return {1, 0}
`;

export interface RedisRateLimiterOptions {
  /** A connection of the caller's; the limiter never closes it. */
  redis: Redis;
  /** Key prefix, so installations and tests do not share buckets. @defaultValue "mlops:llm:rate:" */
  prefix?: string;
  clock?: Clock;
}

/**
 * A rate limiter whose buckets live in Redis (a GCRA Lua script keyed by endpoint name), so a limit holds across
 * every worker process and machine sharing that Redis.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { redis } = options;
  const prefix = options.prefix ?? "mlops:llm:rate:";
  const clock = options.clock ?? systemClock;
  let sha: string | undefined;

  async function runScript(keys: string[], args: string[]): Promise<[number, number]> {
    sha ??= (await redis.script("LOAD", GCRA_SCRIPT)) as string;
    try {
      return (await redis.evalsha(sha, keys.length, ...keys, ...args)) as [number, number];
    } catch (error) {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return (await redis.eval(GCRA_SCRIPT, keys.length, ...keys, ...args)) as [number, number];
    }
  }

  const limiter: RateLimiter = {
    async tryAcquire({ key, limit, tokens = 0 }) {
      const cells = gcraCells(limit, tokens);
      if (cells.length === 0) return { allowed: true, retryAfterMs: 0 };
      // A hash tag keeps both cells of one endpoint in one Redis Cluster slot.
      const names = ["requests", "tokens"].filter((_, i) =>
        i === 0 ? limit.requestsPerSecond : limit.tokensPerMinute,
      );
      const keys = names.map((name) => `${prefix}{${key}}:${name}`);
      const args = cells.flatMap((cell) => [String(Math.round(cell.increment)), String(Math.round(cell.tolerance))]);
      const [allowed, retryAfterMs] = await runScript(keys, args);
      return { allowed: allowed === 1, retryAfterMs };
    },
    acquire: (acquireOptions) => acquireByPolling(limiter.tryAcquire, acquireOptions, () => clock.now().getTime()),
  };
  return limiter;
}
