import type { Prediction } from "./text-classifier";

/** Softmax of `logits` into a prediction; ties go to the earlier label. */
export function predictionFromLogits(labels: readonly string[], logits: Float64Array): Prediction {
  let best = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < logits.length; k++) {
    if (logits[k]! > max) {
      max = logits[k]!;
      best = k;
    }
  }
  let sum = 0;
  const exps = new Float64Array(logits.length);
  for (let k = 0; k < logits.length; k++) {
    exps[k] = Math.exp(logits[k]! - max);
    sum += exps[k]!;
  }
  const scores: Record<string, number> = {};
  for (let k = 0; k < labels.length; k++) scores[labels[k]!] = exps[k]! / sum;
  return { label: labels[best]!, confidence: exps[best]! / sum, scores };
}
