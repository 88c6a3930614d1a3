import { describe, expect, it } from "vitest";
import { fitNgramFeatures, ngramFeaturesFromNames } from "./ngram-features";
import type { SparseVector } from "./sparse-vector";

const named = (names: readonly string[], vector: SparseVector) =>
  Object.fromEntries(Array.from(vector.indices, (index, i) => [names[index], vector.values[i]]));

describe("fitNgramFeatures", () => {
  it("counts unigrams and bigrams with ascending indices", () => {
    const { features, counts, documentFrequency } = fitNgramFeatures(["the cat sat", "The cat, the cat!"]);
    expect(features.names).toEqual(["the", "cat", "sat", "the cat", "cat sat", "cat the"]);
    expect(named(features.names, counts[1]!)).toEqual({ the: 2, cat: 2, "the cat": 2, "cat the": 1 });
    expect(Array.from(documentFrequency)).toEqual([2, 2, 1, 2, 1, 1]);
    for (const vector of counts) expect(Array.from(vector.indices)).toEqual([...vector.indices].sort((a, b) => a - b));
  });

  it("prunes n-grams below minDf and ignores unknown words when counting", () => {
    const { features } = fitNgramFeatures(["red apple", "red apple pie", "green apple"], { minDf: 2 });
    expect(features.names).toEqual(["red", "apple", "red apple"]);
    expect(named(features.names, features.count("Red apple and red plum"))).toEqual({
      red: 2,
      apple: 1,
      "red apple": 1,
    });
  });

  it("builds unigrams only when asked", () => {
    const { features } = fitNgramFeatures(["a b c"], { ngrams: 1 });
    expect(features.names).toEqual(["a", "b", "c"]);
  });

  it("rebuilds the same features from their names", () => {
    const { features } = fitNgramFeatures(["stocks rose", "stocks fell sharply", "oil rose"]);
    const rebuilt = ngramFeaturesFromNames(features.names, 2);
    const text = "Stocks rose, oil fell sharply";
    expect(rebuilt.count(text)).toEqual(features.count(text));
  });
});
