import type { RateLimit } from "../endpoints/endpoint-config";
import { sleep } from "../util/sleep";

/** The answer to one try: allowed now, or how long until it may be. */
export interface RateDecision {
  allowed: boolean;
  retryAfterMs: number;
}

export interface AcquireOptions {
  /** Bucket name, normally the endpoint name. */
  key: string;
  limit: RateLimit;
  /** Tokens the request will use (counted against `tokensPerMinute`). @defaultValue 0 */
  tokens?: number;
  signal?: AbortSignal;
}

/** Per-endpoint rate limits. The Redis implementation holds them across every worker process. */
export interface RateLimiter {
  /** One non-blocking try; on success the request is counted. */
  tryAcquire(options: AcquireOptions): Promise<RateDecision>;
  /** Waits until allowed; resolves with the milliseconds waited. */
  acquire(options: AcquireOptions): Promise<{ waitedMs: number }>;
}

/** One GCRA step (shared by the in-memory limiter and mirrored by the Redis Lua script). */
export interface GcraCell {
  /** Microseconds added to the theoretical arrival time. */
  increment: number;
  /** Delay variation tolerance in microseconds: how far ahead of now the arrival time may run. */
  tolerance: number;
}

/** The GCRA cells a limit translates to: one for requests/s, one for tokens/min. */
export function gcraCells(limit: RateLimit, tokens: number): GcraCell[] {
  const cells: GcraCell[] = [];
  if (limit.requestsPerSecond) {
    const interval = 1_000_000 / limit.requestsPerSecond;
    cells.push({ increment: interval, tolerance: interval * (limit.burst ?? 1) });
  }
  if (limit.tokensPerMinute) {
    const perToken = 60_000_000 / limit.tokensPerMinute;
    // A request bigger than a minute's budget could never pass; it takes the whole minute instead.
    cells.push({ increment: perToken * Math.min(Math.max(tokens, 1), limit.tokensPerMinute), tolerance: 60_000_000 });
  }
  return cells;
}

/** `acquire` built from `tryAcquire`: sleeps for the advised time (plus a little jitter against herds) and retries. */
export async function acquireByPolling(
  tryAcquire: (options: AcquireOptions) => Promise<RateDecision>,
  options: AcquireOptions,
  now: () => number,
): Promise<{ waitedMs: number }> {
  const start = now();
  for (;;) {
    const decision = await tryAcquire(options);
    if (decision.allowed) return { waitedMs: now() - start };
    await sleep(decision.retryAfterMs + Math.random() * 5, options.signal);
  }
}
