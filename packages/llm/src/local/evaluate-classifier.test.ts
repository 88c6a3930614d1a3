import { describe, expect, it } from "vitest";
import { evaluatePredictions } from "./evaluate-classifier";

describe("evaluatePredictions", () => {
  it("computes accuracy, per-label metrics and macro F1 by hand", () => {
    const result = evaluatePredictions(["a", "a", "b", "b", "c"], ["a", "b", "b", "b", "a"]);
    expect(result.accuracy).toBeCloseTo(3 / 5, 12);
    // a: P 1/2, R 1/2, F1 1/2; b: P 2/3, R 1, F1 4/5; c: never predicted, F1 0.
    expect(result.perLabel.a).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(result.perLabel.b!.f1).toBeCloseTo(0.8, 12);
    expect(result.perLabel.c!.f1).toBe(0);
    expect(result.macroF1).toBeCloseTo((0.5 + 0.8 + 0) / 3, 12);
  });

  it("returns zeros for no examples", () => {
    expect(evaluatePredictions([], [])).toEqual({ examples: 0, accuracy: 0, macroF1: 0, perLabel: {} });
  });
});
