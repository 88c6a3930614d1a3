import { normalizeL2, type SparseVector } from "./sparse-vector";

export interface TfidfOptions {
  /** Replace a count c by 1 + ln(c), so a repeated word does not dominate. @defaultValue true */
  sublinearTf?: boolean;
}

/** Smoothed inverse document frequency, ln((1 + n) / (1 + df)) + 1, as scikit-learn computes it. */
export function inverseDocumentFrequency(documentFrequency: Float64Array, documents: number): Float64Array {
  const idf = new Float64Array(documentFrequency.length);
  for (let i = 0; i < idf.length; i++) idf[i] = Math.log((1 + documents) / (1 + documentFrequency[i]!)) + 1;
  return idf;
}

/** Turns a count vector into an l2-normalised tf-idf vector, in place. */
export function applyTfidf(counts: SparseVector, idf: Float64Array, options: TfidfOptions = {}): SparseVector {
  const sublinear = options.sublinearTf ?? true;
  const { indices, values } = counts;
  for (let i = 0; i < values.length; i++) {
    const tf = sublinear ? 1 + Math.log(values[i]!) : values[i]!;
    values[i] = tf * idf[indices[i]!]!;
  }
  return normalizeL2(counts);
}
