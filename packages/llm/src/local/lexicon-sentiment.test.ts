import { describe, expect, it } from "vitest";
import {
  createLexiconSentiment,
  lexiconScore,
  lexiconSentimentFromJSON,
  trainLexiconSentiment,
} from "./lexicon-sentiment";

describe("lexiconScore", () => {
  it("scores sentiment words, and direction words by the amount they moved", () => {
    expect(lexiconScore("Operating profit rose")).toBe(1);
    expect(lexiconScore("Net sales fell")).toBe(-1);
    expect(lexiconScore("The net loss narrowed")).toBe(1);
    expect(lexiconScore("Costs increased")).toBe(-1);
    expect(lexiconScore("The outlook is strong")).toBe(1);
    expect(lexiconScore("The company is based in Helsinki")).toBe(0);
  });

  it("flips polarity after a negation and strengthens after an intensifier", () => {
    expect(lexiconScore("Profit did not rise")).toBe(-1);
    expect(lexiconScore("Sales didn't fall")).toBe(1);
    expect(lexiconScore("The quarter was significantly better")).toBe(1.5);
  });

  it("counts an amount no direction word moved at half weight", () => {
    expect(lexiconScore("The operating loss was EUR 2 mn")).toBe(-0.5);
  });

  it("lets extra words override the lexicon", () => {
    expect(lexiconScore("Nokia announced a recall", 3, new Map([["recall", -2]]))).toBe(-2);
  });
});

describe("createLexiconSentiment", () => {
  const model = createLexiconSentiment();

  it("labels positive, neutral and negative news", () => {
    expect(model.labels).toEqual(["Negative", "Neutral", "Positive"]);
    expect(
      model
        .predictBatch(["Quarterly profit rose", "The board met in Espoo", "Sales decreased sharply"])
        .map((p) => p.label),
    ).toEqual(["Positive", "Neutral", "Negative"]);
  });

  it("returns scores summing to 1 whose maximum is the label", () => {
    const prediction = model.predict("Revenue grew and margins improved");
    expect(prediction.label).toBe("Positive");
    expect(Object.values(prediction.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(prediction.confidence).toBe(Math.max(...Object.values(prediction.scores)));
  });

  it("uses the configured label names and round-trips through JSON", () => {
    const custom = createLexiconSentiment({
      labels: { positive: "pos", neutral: "neu", negative: "neg" },
      positiveThreshold: 1,
      words: { recall: -2 },
    });
    expect(custom.predict("A recall").label).toBe("neg");
    const restored = lexiconSentimentFromJSON(JSON.parse(JSON.stringify(custom)));
    expect(restored.describe()).toEqual(custom.describe());
    expect(restored.predict("A recall")).toEqual(custom.predict("A recall"));
  });

  it("refuses a negative threshold above the positive one", () => {
    expect(() => createLexiconSentiment({ positiveThreshold: -1, negativeThreshold: 1 })).toThrow(
      expect.objectContaining({ code: "LOCAL_MODEL_OPTIONS" }),
    );
  });
});

describe("trainLexiconSentiment", () => {
  it("fits thresholds that separate the labelled examples", () => {
    // Here one positive word is not enough: the data says "Positive" only from two up.
    const examples = [
      { text: "Profit rose and sales grew", label: "Positive" },
      { text: "Strong demand and record earnings", label: "Positive" },
      { text: "Profit rose", label: "Neutral" },
      { text: "The meeting was held in Oulu", label: "Neutral" },
      { text: "Sales fell", label: "Negative" },
      { text: "Profit fell and costs rose", label: "Negative" },
    ];
    const model = trainLexiconSentiment(examples);
    expect(model.predictBatch(examples.map((e) => e.text)).map((p) => p.label)).toEqual(examples.map((e) => e.label));
    const { positiveThreshold, negativeThreshold } = model.describe().params;
    expect(positiveThreshold).toBeGreaterThan(1);
    expect(positiveThreshold).toBeLessThanOrEqual(2);
    expect(negativeThreshold).toBeLessThan(0);
    expect(negativeThreshold).toBeGreaterThan(-1);
  });
});
