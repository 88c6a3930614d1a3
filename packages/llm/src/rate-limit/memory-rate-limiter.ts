import { type Clock, systemClock } from "@mlops/core";
import { acquireByPolling, gcraCells, type RateLimiter } from "./rate-limiter";

/** A rate limiter inside one process (single worker, CLI runs). Use the Redis one when several workers share limits. */
export function createMemoryRateLimiter(options: { clock?: Clock } = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const tats = new Map<string, number>();
  const limiter: RateLimiter = {
    async tryAcquire({ key, limit, tokens = 0 }) {
      const now = clock.now().getTime() * 1000;
      const cells = gcraCells(limit, tokens);
      const next: number[] = [];
      let wait = 0;
      cells.forEach((cell, i) => {
        const tat = Math.max(tats.get(`${key}:${i}`) ?? now, now) + cell.increment;
        wait = Math.max(wait, tat - now - cell.tolerance);
        next.push(tat);
      });
      if (wait > 0) return { allowed: false, retryAfterMs: Math.ceil(wait / 1000) };
      for (const [i, tat] of next.entries()) tats.set(`${key}:${i}`, tat);
      return { allowed: true, retryAfterMs: 0 };
    },
    acquire: (acquireOptions) => acquireByPolling(limiter.tryAcquire, acquireOptions, () => clock.now().getTime()),
  };
  return limiter;
}
