import { describe, expect, it } from "vitest";
import { evaluateClassifier } from "./evaluate-classifier";
import { tfidfLogRegFromJSON, trainTfidfLogReg } from "./tfidf-logreg";
import { TOPIC_HELD_OUT, TOPIC_TRAIN } from "./topic-fixture";

describe("trainTfidfLogReg", () => {
  const model = trainTfidfLogReg(TOPIC_TRAIN, { seed: 3 });

  it("classifies held-out sentences of the four topics", () => {
    expect(model.labels).toEqual(["Business", "Sci/Tech", "Sports", "World"]);
    expect(evaluateClassifier(model, TOPIC_HELD_OUT).accuracy).toBeGreaterThanOrEqual(11 / 12);
  });

  it("returns scores that sum to 1 with the label's score as confidence", () => {
    const prediction = model.predict("The striker scored a goal and the team won");
    expect(prediction.label).toBe("Sports");
    expect(Object.values(prediction.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(prediction.confidence).toBe(prediction.scores.Sports);
    expect(prediction.confidence).toBe(Math.max(...Object.values(prediction.scores)));
  });

  it("is deterministic for a seed and changes with it", () => {
    const again = trainTfidfLogReg(TOPIC_TRAIN, { seed: 3 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
    expect(JSON.stringify(trainTfidfLogReg(TOPIC_TRAIN, { seed: 4 }))).not.toBe(JSON.stringify(model));
  });

  it("predicts the same after a JSON round trip", () => {
    const restored = tfidfLogRegFromJSON(JSON.parse(JSON.stringify(model)));
    const texts = TOPIC_HELD_OUT.map((e) => e.text);
    expect(restored.predictBatch(texts)).toEqual(model.predictBatch(texts));
    expect(restored.describe()).toEqual(model.describe());
  });

  it("describes itself with loggable params", () => {
    const { name, kind, params } = model.describe();
    expect(name).toBe("local/tfidf-logreg");
    expect(kind).toBe("tfidf-logreg");
    expect(params).toMatchObject({ ngrams: 2, seed: 3, trainExamples: 40, sublinearTf: true });
    expect(params.vocabSize).toBe(model.toJSON().features.length);
  });

  it("refuses training data with a single label", () => {
    expect(() => trainTfidfLogReg([{ text: "a", label: "x" }])).toThrow(
      expect.objectContaining({ code: "LOCAL_MODEL_TRAINING_DATA" }),
    );
  });

  it("gives a text with no known word the bias-only prediction", () => {
    const prediction = model.predict("zzz qqq");
    expect(model.labels).toContain(prediction.label);
    expect(prediction.confidence).toBeLessThan(0.5);
  });
});
