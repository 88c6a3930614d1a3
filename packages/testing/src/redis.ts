import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** The machine's Redis. Override with TEST_REDIS_URL. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A queue/key prefix unique to one test file, so parallel files never see each other's jobs. */
export function uniquePrefix(label = "test"): string {
  return `t-${label}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under `prefix` (run in afterAll). */
export async function cleanRedisPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
