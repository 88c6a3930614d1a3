import type { Redis } from "ioredis";
import { z } from "zod";
import type { CachedCompletion, ResponseCache } from "./response-cache";

const cachedCompletionSchema: z.ZodType<CachedCompletion> = z.object({
  text: z.string(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number(), estimated: z.boolean() }),
  model: z.string(),
  id: z.string().optional(),
  finishReason: z.string().optional(),
  createdAt: z.string(),
});

export interface RedisResponseCacheOptions {
  /** A connection of the caller's; the cache never closes it. */
  redis: Redis;
  /** @defaultValue "mlops:llm:cache:" */
  prefix?: string;
  /** Entry lifetime; undefined keeps entries until evicted by Redis. @defaultValue 30 days */
  ttlSeconds?: number;
}

/** A cache shared by every worker. Entries that no longer parse are treated as misses. */
export function createRedisResponseCache(options: RedisResponseCacheOptions): ResponseCache {
  const { redis } = options;
  const prefix = options.prefix ?? "mlops:llm:cache:";
  const ttlSeconds = options.ttlSeconds ?? 30 * 24 * 3600;
  return {
    async get(key) {
      const raw = await redis.get(prefix + key);
      if (raw === null) return undefined;
      try {
        const parsed = cachedCompletionSchema.safeParse(JSON.parse(raw));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      await redis.set(prefix + key, JSON.stringify(value), "EX", ttlSeconds);
    },
  };
}
