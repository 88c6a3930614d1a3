/** Retries of 408, 409, 429, 5xx, timeouts and connection failures. */
export interface RetryOptions {
  /** Attempts in all, the first included. @defaultValue 5 */
  maxAttempts?: number;
  /** Backoff before the second attempt; doubles each time. @defaultValue 500 */
  baseDelayMs?: number;
  /** @defaultValue 30000 */
  maxDelayMs?: number;
  /** A Retry-After longer than this ends the retries at once. @defaultValue 120000 */
  maxRetryAfterMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: options.maxAttempts ?? 5,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
  };
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries spread out. */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions, random: () => number = Math.random) {
  const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(delay / 2 + random() * (delay / 2));
}

/** Random extra wait added to a Retry-After, growing with the attempt like the backoff does. */
export function retryAfterJitter(attempt: number, options: ResolvedRetryOptions, random: () => number = Math.random) {
  return Math.round(random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1)));
}

/** Statuses worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Milliseconds a response asks the caller to wait: `retry-after-ms` (OpenAI, Azure), or `Retry-After` in seconds
 * or as an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers, now: Date): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
