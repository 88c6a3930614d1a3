import { createRandom } from "@mlops/llm";
import { quantile } from "../metrics/latency-summary";

/** A seeded percentile bootstrap interval. */
export interface ConfidenceInterval {
  estimate: number;
  low: number;
  high: number;
  /** e.g. 0.95 */
  level: number;
  resamples: number;
  seed: number;
}

export interface BootstrapOptions {
  /** @defaultValue 2000 */
  resamples?: number;
  /** @defaultValue 0.95 */
  level?: number;
  /** @defaultValue 42 */
  seed?: number;
}

function interval(estimate: number, draws: Float64Array, level: number, seed: number): ConfidenceInterval {
  draws.sort();
  const alpha = (1 - level) / 2;
  return {
    estimate,
    low: quantile(draws, alpha),
    high: quantile(draws, 1 - alpha),
    level,
    resamples: draws.length,
    seed,
  };
}

/** Percentile bootstrap CI of accuracy from per-item correctness (1/0). */
export function bootstrapAccuracy(correct: Uint8Array, options: BootstrapOptions = {}): ConfidenceInterval {
  const { resamples = 2000, level = 0.95, seed = 42 } = options;
  const n = correct.length;
  const random = createRandom(seed);
  const draws = new Float64Array(resamples);
  let hits = 0;
  for (const c of correct) hits += c;
  for (let r = 0; r < resamples && n > 0; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += correct[Math.floor(random() * n)]!;
    draws[r] = sum / n;
  }
  return interval(n === 0 ? 0 : hits / n, draws, level, seed);
}

/** Paired bootstrap CI of accuracy(a) − accuracy(b) over the same items (resampled together). */
export function bootstrapAccuracyDifference(
  a: Uint8Array,
  b: Uint8Array,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const { resamples = 2000, level = 0.95, seed = 42 } = options;
  if (a.length !== b.length) throw new RangeError("paired bootstrap needs the same items for both models");
  const n = a.length;
  const random = createRandom(seed);
  const draws = new Float64Array(resamples);
  let diff = 0;
  for (let i = 0; i < n; i++) diff += a[i]! - b[i]!;
  for (let r = 0; r < resamples && n > 0; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      sum += a[j]! - b[j]!;
    }
    draws[r] = sum / n;
  }
  return interval(n === 0 ? 0 : diff / n, draws, level, seed);
}
