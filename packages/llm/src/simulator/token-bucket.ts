/** A token bucket refilled at `rate` per second, holding up to `capacity`. */
export interface TokenBucket {
  /** Takes a token if there is one; otherwise says in how many ms there will be. */
  take(nowMs: number): { ok: true } | { ok: false; retryAfterMs: number };
}

export function createTokenBucket(rate: number, capacity: number = Math.max(1, rate)): TokenBucket {
  let tokens = capacity;
  let last: number | undefined;
  return {
    take(nowMs) {
      if (last !== undefined) tokens = Math.min(capacity, tokens + ((nowMs - last) / 1000) * rate);
      last = nowMs;
      if (tokens >= 1) {
        tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) / rate) * 1000) };
    },
  };
}
