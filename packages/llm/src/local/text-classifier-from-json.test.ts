import { describe, expect, it } from "vitest";
import { createLexiconSentiment } from "./lexicon-sentiment";
import { trainNaiveBayes } from "./naive-bayes";
import { textClassifierFromJSON } from "./text-classifier-from-json";
import { trainTfidfLogReg } from "./tfidf-logreg";
import { TOPIC_HELD_OUT, TOPIC_TRAIN } from "./topic-fixture";

describe("textClassifierFromJSON", () => {
  it("loads every kind of local model from its saved JSON", () => {
    const models = [trainTfidfLogReg(TOPIC_TRAIN), trainNaiveBayes(TOPIC_TRAIN), createLexiconSentiment()];
    for (const model of models) {
      const restored = textClassifierFromJSON(JSON.parse(JSON.stringify(model)));
      expect(restored.describe().kind).toBe(model.describe().kind);
      expect(restored.predict(TOPIC_HELD_OUT[0]!.text)).toEqual(model.predict(TOPIC_HELD_OUT[0]!.text));
    }
  });

  it("refuses an unknown kind, another format, or missing arrays", () => {
    const saved = trainNaiveBayes(TOPIC_TRAIN).toJSON();
    expect(() => textClassifierFromJSON({ kind: "gpt" })).toThrow(
      expect.objectContaining({ code: "LOCAL_MODEL_INVALID" }),
    );
    expect(() => textClassifierFromJSON(null)).toThrow(expect.objectContaining({ code: "LOCAL_MODEL_INVALID" }));
    expect(() => textClassifierFromJSON({ ...saved, version: 2 })).toThrow(/format mlops-local-classifier/);
    expect(() => textClassifierFromJSON({ ...saved, featureLogProb: undefined })).toThrow(/featureLogProb/);
  });
});
