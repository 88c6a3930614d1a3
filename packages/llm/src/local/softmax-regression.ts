import { createRandom, shuffleInPlace } from "./prng";
import type { SparseVector } from "./sparse-vector";

export interface SoftmaxRegressionOptions {
  /** L2 penalty per example (λ in λ/2·‖W‖²); scikit-learn's C is about 1 / (λ·n). @defaultValue 1e-5 */
  l2?: number;
  /** Passes over the training set. @defaultValue 12 */
  epochs?: number;
  /** Initial step size, decayed as η / (1 + η·λ·t). @defaultValue 0.5 */
  learningRate?: number;
  /** Share of the final epochs whose end-of-epoch weights are averaged into the model (0 = last epoch only). @defaultValue 0.5 */
  averageLast?: number;
  /** Seed of the example shuffle. @defaultValue 42 */
  seed?: number;
}

/** Weights of a multinomial logistic regression; `weights[feature * classes + k]`. */
export interface SoftmaxRegressionModel {
  classes: number;
  weights: Float64Array;
  bias: Float64Array;
}

/** Class logits of `x`, written into `out`. */
export function softmaxLogits(model: SoftmaxRegressionModel, x: SparseVector, out: Float64Array): Float64Array {
  const { classes, weights, bias } = model;
  out.set(bias);
  for (let i = 0; i < x.indices.length; i++) {
    const base = x.indices[i]! * classes;
    const value = x.values[i]!;
    for (let k = 0; k < classes; k++) out[k] = out[k]! + weights[base + k]! * value;
  }
  return out;
}

/**
 * Fits multinomial logistic regression by plain SGD over shuffled examples. The L2 shrink is kept as one scalar
 * factor on the weights, so each step touches only the example's non-zero features.
 */
export function trainSoftmaxRegression(
  vectors: readonly SparseVector[],
  targets: Int32Array,
  features: number,
  classes: number,
  options: SoftmaxRegressionOptions = {},
): SoftmaxRegressionModel {
  const l2 = options.l2 ?? 1e-5;
  const epochs = options.epochs ?? 12;
  const eta0 = options.learningRate ?? 0.5;
  const random = createRandom(options.seed ?? 42);
  const weights = new Float64Array(features * classes);
  const bias = new Float64Array(classes);
  const probabilities = new Float64Array(classes);
  const order = Int32Array.from(vectors, (_, i) => i);
  let scale = 1;
  let step = 0;
  const averageFrom = Math.min(epochs - 1, Math.floor(epochs * (1 - (options.averageLast ?? 0.5))));
  const averageWeights = new Float64Array(weights.length);
  const averageBias = new Float64Array(classes);

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const n of order) {
      const x = vectors[n]!;
      const eta = eta0 / (1 + eta0 * l2 * step++);
      // Logits with the current scale, then softmax.
      probabilities.fill(0);
      for (let i = 0; i < x.indices.length; i++) {
        const base = x.indices[i]! * classes;
        const value = x.values[i]!;
        for (let k = 0; k < classes; k++) probabilities[k] = probabilities[k]! + weights[base + k]! * value;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < classes; k++) {
        probabilities[k] = probabilities[k]! * scale + bias[k]!;
        if (probabilities[k]! > max) max = probabilities[k]!;
      }
      let sum = 0;
      for (let k = 0; k < classes; k++) {
        probabilities[k] = Math.exp(probabilities[k]! - max);
        sum += probabilities[k]!;
      }
      const target = targets[n]!;
      // Gradient of cross-entropy wrt logit k is p_k - [k = target]; reuse the buffer for it.
      for (let k = 0; k < classes; k++) probabilities[k] = probabilities[k]! / sum - (k === target ? 1 : 0);

      scale *= 1 - eta * l2;
      const stepOverScale = eta / scale;
      for (let i = 0; i < x.indices.length; i++) {
        const base = x.indices[i]! * classes;
        const value = x.values[i]! * stepOverScale;
        for (let k = 0; k < classes; k++) weights[base + k] = weights[base + k]! - probabilities[k]! * value;
      }
      for (let k = 0; k < classes; k++) bias[k] = bias[k]! - eta * probabilities[k]!;

      if (scale < 1e-9) {
        for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;
        scale = 1;
      }
    }
    if (epoch >= averageFrom) {
      for (let i = 0; i < weights.length; i++) averageWeights[i] = averageWeights[i]! + weights[i]! * scale;
      for (let k = 0; k < classes; k++) averageBias[k] = averageBias[k]! + bias[k]!;
    }
  }
  const averaged = epochs - averageFrom;
  for (let i = 0; i < weights.length; i++) averageWeights[i] = averageWeights[i]! / averaged;
  for (let k = 0; k < classes; k++) averageBias[k] = averageBias[k]! / averaged;
  return { classes, weights: averageWeights, bias: averageBias };
}
