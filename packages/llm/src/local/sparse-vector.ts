/** A sparse vector: ascending feature indices and their values, side by side. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float64Array;
}

/** Scales `vector` in place to unit Euclidean length (a zero vector stays zero). */
export function normalizeL2(vector: SparseVector): SparseVector {
  const { values } = vector;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  if (sum > 0) {
    const inverse = 1 / Math.sqrt(sum);
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * inverse;
  }
  return vector;
}
