import { MlopsError } from "@mlops/core";
import type { SparseVector } from "./sparse-vector";
import { tokenize } from "./tokenize";

/** Which word n-grams become features: unigrams only, or unigrams and bigrams. */
export type NgramRange = 1 | 2;

/** A fixed vocabulary of word unigrams (and bigrams) that turns text into sparse count vectors. */
export interface NgramFeatures {
  readonly ngrams: NgramRange;
  /** Number of features; feature indices run from 0 to size - 1. */
  readonly size: number;
  /** Feature names in index order: "word" or "word word". */
  readonly names: readonly string[];
  /** Raw n-gram counts of `text`, indices ascending. */
  count(text: string): SparseVector;
}

export interface FitNgramFeaturesOptions {
  /** @defaultValue 2 */
  ngrams?: NgramRange;
  /** Keep an n-gram only if it occurs in at least this many documents. @defaultValue 1 */
  minDf?: number;
  /** Drop an n-gram that occurs in more than this share of documents. @defaultValue 1 */
  maxDfRatio?: number;
}

export interface FittedNgramFeatures {
  features: NgramFeatures;
  /** Count vectors of the training texts, in input order. */
  counts: SparseVector[];
  /** Document frequency of each kept feature. */
  documentFrequency: Float64Array;
}

// Bigram keys are `first * KEY_BASE + second` over token ids: a number, so the hot loop never concatenates strings.
const KEY_BASE = 2 ** 26;

class TokenIds {
  readonly ids = new Map<string, number>();

  idOf(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.ids.size;
      if (id >= KEY_BASE) {
        throw new MlopsError("LOCAL_MODEL_VOCABULARY_TOO_LARGE", `More than ${KEY_BASE} distinct tokens.`, {
          hint: "Train on fewer texts or raise minDf.",
        });
      }
      this.ids.set(token, id);
    }
    return id;
  }
}

class Counter implements NgramFeatures {
  readonly size: number;
  private accumulator: Float64Array;
  private touched: Int32Array;
  private scratchIds = new Int32Array(256);

  constructor(
    readonly ngrams: NgramRange,
    readonly names: readonly string[],
    private readonly tokenIds: Map<string, number>,
    /** token id → unigram feature index, or -1. */
    private readonly unigramFeature: Int32Array,
    private readonly bigramFeature: Map<number, number>,
  ) {
    this.size = names.length;
    this.accumulator = new Float64Array(this.size);
    this.touched = new Int32Array(Math.max(16, this.size));
  }

  count(text: string): SparseVector {
    const tokens = tokenize(text);
    if (tokens.length > this.scratchIds.length) this.scratchIds = new Int32Array(tokens.length * 2);
    const ids = this.scratchIds;
    for (let i = 0; i < tokens.length; i++) ids[i] = this.tokenIds.get(tokens[i]!) ?? -1;
    return this.countIds(ids, tokens.length);
  }

  /** Counts features over the first `length` token ids (-1 marks an unknown token). */
  countIds(ids: Int32Array, length: number): SparseVector {
    const accumulator = this.accumulator;
    const touched = this.touched;
    let distinct = 0;
    for (let i = 0; i < length; i++) {
      const id = ids[i]!;
      if (id < 0) continue;
      const unigram = this.unigramFeature[id]!;
      if (unigram >= 0) {
        if (accumulator[unigram] === 0) touched[distinct++] = unigram;
        accumulator[unigram] = accumulator[unigram]! + 1;
      }
      if (this.ngrams === 2 && i + 1 < length) {
        const next = ids[i + 1]!;
        if (next < 0) continue;
        const bigram = this.bigramFeature.get(id * KEY_BASE + next);
        if (bigram !== undefined) {
          if (accumulator[bigram] === 0) touched[distinct++] = bigram;
          accumulator[bigram] = accumulator[bigram]! + 1;
        }
      }
    }
    const indices = touched.slice(0, distinct).sort();
    const values = new Float64Array(distinct);
    for (let i = 0; i < distinct; i++) {
      const index = indices[i]!;
      values[i] = accumulator[index]!;
      accumulator[index] = 0;
    }
    return { indices, values };
  }
}

/** Builds the vocabulary from `texts` (pruning by document frequency) and counts every text against it. */
export function fitNgramFeatures(texts: readonly string[], options: FitNgramFeaturesOptions = {}): FittedNgramFeatures {
  const ngrams = options.ngrams ?? 2;
  const minDf = options.minDf ?? 1;
  const maxDf = Math.floor((options.maxDfRatio ?? 1) * texts.length);
  const tokenIds = new TokenIds();
  const documents: Int32Array[] = [];
  const unigramDf: number[] = [];
  const unigramLastDoc: number[] = [];
  const bigramSlot = new Map<number, number>();
  const bigramKeys: number[] = [];
  const bigramDf: number[] = [];
  const bigramLastDoc: number[] = [];

  for (let doc = 0; doc < texts.length; doc++) {
    const tokens = tokenize(texts[doc]!);
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const id = tokenIds.idOf(tokens[i]!);
      ids[i] = id;
      if (id === unigramDf.length) {
        unigramDf.push(0);
        unigramLastDoc.push(-1);
      }
      if (unigramLastDoc[id] !== doc) {
        unigramLastDoc[id] = doc;
        unigramDf[id] = unigramDf[id]! + 1;
      }
      if (ngrams === 2 && i > 0) {
        const key = ids[i - 1]! * KEY_BASE + id;
        let slot = bigramSlot.get(key);
        if (slot === undefined) {
          slot = bigramKeys.length;
          bigramSlot.set(key, slot);
          bigramKeys.push(key);
          bigramDf.push(0);
          bigramLastDoc.push(-1);
        }
        if (bigramLastDoc[slot] !== doc) {
          bigramLastDoc[slot] = doc;
          bigramDf[slot] = bigramDf[slot]! + 1;
        }
      }
    }
    documents.push(ids);
  }

  const tokens = [...tokenIds.ids.keys()];
  const keep = (df: number) => df >= minDf && df <= maxDf;
  const names: string[] = [];
  const df: number[] = [];
  const unigramFeature = new Int32Array(tokens.length).fill(-1);
  for (let id = 0; id < tokens.length; id++) {
    if (!keep(unigramDf[id]!)) continue;
    unigramFeature[id] = names.length;
    names.push(tokens[id]!);
    df.push(unigramDf[id]!);
  }
  const bigramFeature = new Map<number, number>();
  for (let slot = 0; slot < bigramKeys.length; slot++) {
    if (!keep(bigramDf[slot]!)) continue;
    const key = bigramKeys[slot]!;
    bigramFeature.set(key, names.length);
    names.push(`${tokens[Math.floor(key / KEY_BASE)]} ${tokens[key % KEY_BASE]}`);
    df.push(bigramDf[slot]!);
  }

  const counter = new Counter(ngrams, names, tokenIds.ids, unigramFeature, bigramFeature);
  const counts = documents.map((ids) => counter.countIds(ids, ids.length));
  return { features: counter, counts, documentFrequency: Float64Array.from(df) };
}

/** Rebuilds features from their names (as saved by a trained model), keeping the same indices. */
export function ngramFeaturesFromNames(names: readonly string[], ngrams: NgramRange): NgramFeatures {
  const tokenIds = new TokenIds();
  const unigrams: [number, number][] = [];
  const bigramFeature = new Map<number, number>();
  names.forEach((name, index) => {
    const space = name.indexOf(" ");
    if (space < 0) {
      unigrams.push([tokenIds.idOf(name), index]);
    } else {
      bigramFeature.set(tokenIds.idOf(name.slice(0, space)) * KEY_BASE + tokenIds.idOf(name.slice(space + 1)), index);
    }
  });
  const unigramFeature = new Int32Array(tokenIds.ids.size).fill(-1);
  for (const [id, index] of unigrams) unigramFeature[id] = index;
  return new Counter(ngrams, [...names], tokenIds.ids, unigramFeature, bigramFeature);
}
