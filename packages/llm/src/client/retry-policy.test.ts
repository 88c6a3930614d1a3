import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryableStatus, parseRetryAfter, resolveRetryOptions } from "./retry-policy";

describe("retry policy", () => {
  const now = new Date("2025-06-01T12:00:00.000Z");

  it("reads Retry-After as seconds, as an HTTP date, and retry-after-ms first", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "3" }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ "retry-after": "Sun, 01 Jun 2025 12:00:05 GMT" }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ "retry-after": "Sun, 01 Jun 2025 11:00:00 GMT" }), now)).toBe(0);
    expect(parseRetryAfter(new Headers({ "retry-after": "2", "retry-after-ms": "150" }), now)).toBe(150);
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });

  it("doubles the backoff up to the cap, with jitter in the upper half", () => {
    const options = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, options, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelay(2, options, () => 1)).toBe(200);
  });

  it("retries 408, 409, 429 and 5xx only", () => {
    expect([408, 409, 429, 500, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isRetryableStatus)).toBe(false);
  });
});
