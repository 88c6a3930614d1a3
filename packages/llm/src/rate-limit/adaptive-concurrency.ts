import { LlmError } from "../errors/llm-error";

/** How a request held under a permit ended. */
export type PermitOutcome = "success" | "rate-limited" | "failure";

/** A slot for one request in flight; release it exactly once. */
export interface ConcurrencyPermit {
  release(outcome: PermitOutcome): void;
}

/** AIMD concurrency for one endpoint in one process. */
export interface AdaptiveConcurrency {
  /** Waits for a free slot. */
  acquire(signal?: AbortSignal): Promise<ConcurrencyPermit>;
  /** The current limit (1 … max). */
  readonly limit: number;
  readonly inFlight: number;
  readonly waiting: number;
}

export interface AdaptiveConcurrencyOptions {
  /** Upper bound, normally the endpoint's `maxConcurrency`. */
  max: number;
  /** @defaultValue max */
  initial?: number;
  /** Successes in a row before the limit grows by one. @defaultValue 10 */
  increaseAfter?: number;
}

/**
 * Additive increase, multiplicative decrease: the limit halves on a 429 and grows by one after a streak of
 * successes, bounded by `max`. A burst of 429s from requests that started under the old limit halves it once.
 */
export function createAdaptiveConcurrency(options: AdaptiveConcurrencyOptions): AdaptiveConcurrency {
  if (!Number.isInteger(options.max) || options.max < 1) {
    throw new LlmError("LLM_INVALID_ENDPOINT", `maxConcurrency must be a positive integer, got ${options.max}`);
  }
  const max = options.max;
  const increaseAfter = options.increaseAfter ?? 10;
  let limit = Math.min(Math.max(options.initial ?? max, 1), max);
  let inFlight = 0;
  let streak = 0;
  let epoch = 0;
  const waiters: Array<() => void> = [];

  function drain() {
    while (inFlight < limit && waiters.length > 0) waiters.shift()!();
  }

  function grant(): ConcurrencyPermit {
    inFlight++;
    const startedIn = epoch;
    let released = false;
    return {
      release(outcome) {
        if (released) return;
        released = true;
        inFlight--;
        if (outcome === "rate-limited") {
          streak = 0;
          if (startedIn === epoch) {
            limit = Math.max(1, Math.floor(limit / 2));
            epoch++;
          }
        } else if (outcome === "success") {
          streak++;
          if (streak >= increaseAfter && limit < max) {
            limit++;
            streak = 0;
          }
        }
        drain();
      },
    };
  }

  return {
    get limit() {
      return limit;
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return waiters.length;
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (inFlight < limit && waiters.length === 0) return Promise.resolve(grant());
      return new Promise((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(grant());
        };
        const onAbort = () => {
          const index = waiters.indexOf(wake);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        waiters.push(wake);
      });
    },
  };
}
