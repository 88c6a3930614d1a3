import { Redis } from "ioredis";
import { QueueError } from "../queue-error";

export const MIN_REDIS_VERSION = "6.2.0";

export interface RedisInfo {
  version: string;
  url: string;
}

export const HOW_TO_START_REDIS =
  "Start Redis ≥ 6.2: `redis-server --daemonize yes` (Debian/Ubuntu: `apt-get install redis-server`; macOS: `brew install redis`), " +
  "or point REDIS_URL at one. `mlops up` starts a local redis-server itself when one is installed.";

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Redacts credentials from a Redis URL for messages. */
export function describeRedisUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || 6379}${parsed.pathname === "/" ? "" : parsed.pathname}`;
}

/** Checks that Redis answers and is recent enough for BullMQ; throws a QueueError that says how to fix it. */
export async function checkRedis(url: string, timeoutMs = 2_000): Promise<RedisInfo> {
  const where = describeRedisUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on("error", () => {});
  try {
    await redis.connect();
    const info = await redis.info("server");
    const version = /redis_version:([\d.]+)/.exec(info)?.[1] ?? "0.0.0";
    if (compareVersions(version, MIN_REDIS_VERSION) < 0) {
      throw new QueueError(
        "REDIS_TOO_OLD",
        `Redis at ${where} is version ${version}; BullMQ needs ≥ ${MIN_REDIS_VERSION}.`,
        {
          hint: HOW_TO_START_REDIS,
          context: { version, url: where },
        },
      );
    }
    return { version, url: where };
  } catch (cause) {
    if (cause instanceof QueueError) throw cause;
    throw new QueueError("REDIS_UNREACHABLE", `Cannot reach Redis at ${where}: ${(cause as Error).message}`, {
      hint: HOW_TO_START_REDIS,
      context: { url: where },
      cause,
    });
  } finally {
    redis.disconnect();
  }
}
