import type { SparseVector } from "./sparse-vector";

/**
 * How much each feature concentrates on one class, in [0, 1): (K·max_k p(k | feature) − 1) / (K − 1), where
 * p(k | feature) is estimated from the documents that contain the feature, smoothed by 0.5 per class. 0 means the
 * feature is spread evenly over the classes; near 1, it (almost) only occurs in one. A supervised term weight:
 * tf-idf alone cannot tell "the" from "touchdown" when both are frequent.
 */
export function classConcentration(
  vectors: readonly SparseVector[],
  targets: Int32Array,
  features: number,
  classes: number,
): Float64Array {
  const documents = new Float64Array(features * classes);
  vectors.forEach((x, n) => {
    const k = targets[n]!;
    for (let i = 0; i < x.indices.length; i++) {
      const at = x.indices[i]! * classes + k;
      documents[at] = documents[at]! + 1;
    }
  });
  const smoothing = 0.5;
  const concentration = new Float64Array(features);
  for (let j = 0; j < features; j++) {
    let total = 0;
    let max = 0;
    for (let k = 0; k < classes; k++) {
      const count = documents[j * classes + k]!;
      total += count;
      if (count > max) max = count;
    }
    const share = (max + smoothing) / (total + smoothing * classes);
    concentration[j] = (classes * share - 1) / (classes - 1);
  }
  return concentration;
}
