import { describe, expect, it } from "vitest";
import { evaluateClassifier } from "./evaluate-classifier";
import { naiveBayesFromJSON, trainNaiveBayes } from "./naive-bayes";
import { TOPIC_HELD_OUT, TOPIC_TRAIN } from "./topic-fixture";

// Three documents: pos has counts good 3, movie 1, plot 1 (5 in all); neg has bad 1, movie 1 (2 in all).
const TINY = [
  { text: "good good movie", label: "pos" },
  { text: "bad movie", label: "neg" },
  { text: "good plot", label: "pos" },
];
const LAPLACE = { ngrams: 1, weighting: "counts", complement: false, alpha: 1 } as const;

describe("trainNaiveBayes", () => {
  it("matches hand-computed multinomial probabilities with Laplace smoothing", () => {
    const model = trainNaiveBayes(TINY, LAPLACE);
    // P(pos) · P(good|pos) · P(movie|pos) = 2/3 · 4/9 · 2/9 = 32/486; P(neg) · … = 1/3 · 1/6 · 2/6 = 9/486.
    const prediction = model.predict("good movie");
    expect(prediction.label).toBe("pos");
    expect(prediction.scores.pos).toBeCloseTo(32 / 41, 12);
    expect(prediction.scores.neg).toBeCloseTo(9 / 41, 12);
    // "bad": 2/3 · 1/9 = 2/27 against 1/3 · 2/6 = 1/9, so P(neg) = (1/9) / (2/27 + 1/9) = 3/5.
    expect(model.predict("bad").scores.neg).toBeCloseTo(3 / 5, 12);
    // Unknown words are ignored; no words leaves the priors.
    expect(model.predict("good unseen movie").scores.pos).toBeCloseTo(32 / 41, 12);
    expect(model.predict("").scores.pos).toBeCloseTo(2 / 3, 12);
  });

  it("uses Lidstone smoothing and uniform priors when asked", () => {
    const model = trainNaiveBayes(TINY, { ...LAPLACE, alpha: 0.5, fitPrior: false });
    // P(plot|pos) = 1.5 / 7, P(plot|neg) = 0.5 / 4, equal priors.
    const pos = 1.5 / 7;
    const neg = 0.5 / 4;
    expect(model.predict("plot").scores.pos).toBeCloseTo(pos / (pos + neg), 12);
  });

  it("classifies held-out topic sentences with the default (complement, tf-idf) settings", () => {
    const model = trainNaiveBayes(TOPIC_TRAIN);
    expect(model.describe().params).toMatchObject({ complement: true, weighting: "tfidf" });
    expect(evaluateClassifier(model, TOPIC_HELD_OUT).accuracy).toBeGreaterThanOrEqual(11 / 12);
  });

  it("classifies held-out topic sentences as plain multinomial NB on counts", () => {
    const model = trainNaiveBayes(TOPIC_TRAIN, { weighting: "counts", complement: false, alpha: 1 });
    expect(evaluateClassifier(model, TOPIC_HELD_OUT).accuracy).toBeGreaterThanOrEqual(10 / 12);
  });

  it("predicts the same after a JSON round trip, for both weightings", () => {
    const texts = TOPIC_HELD_OUT.map((e) => e.text);
    for (const model of [trainNaiveBayes(TOPIC_TRAIN), trainNaiveBayes(TOPIC_TRAIN, LAPLACE)]) {
      const restored = naiveBayesFromJSON(JSON.parse(JSON.stringify(model)));
      expect(restored.predictBatch(texts)).toEqual(model.predictBatch(texts));
    }
  });

  it("trains the same model twice from the same data", () => {
    expect(JSON.stringify(trainNaiveBayes(TOPIC_TRAIN))).toBe(JSON.stringify(trainNaiveBayes(TOPIC_TRAIN)));
  });
});
