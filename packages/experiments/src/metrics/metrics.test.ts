import { describe, expect, it } from "vitest";
import { ConfusionCounter, classificationMetrics } from "./classification-metrics";
import { quantile, summariseLatency } from "./latency-summary";

describe("classificationMetrics (hand-computed)", () => {
  // gold a a a b b c / predicted a a b b (invalid) a
  const gold = ["a", "a", "a", "b", "b", "c"];
  const predicted = ["a", "a", "b", "b", null, "a"];
  const m = classificationMetrics(gold, predicted);

  it("counts accuracy and invalid answers as misses", () => {
    expect(m.items).toBe(6);
    expect(m.accuracy).toBeCloseTo(3 / 6, 12);
    expect(m.invalid).toBe(1);
    expect(m.invalidRate).toBeCloseTo(1 / 6, 12);
  });

  it("computes per-class precision, recall and F1", () => {
    expect(m.perClass.a).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
    expect(m.perClass.b).toEqual({ precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 });
    expect(m.perClass.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it("averages macro (unweighted) and weighted by support", () => {
    expect(m.macro.precision).toBeCloseTo(7 / 18, 12);
    expect(m.macro.recall).toBeCloseTo(7 / 18, 12);
    expect(m.macro.f1).toBeCloseTo(7 / 18, 12);
    expect(m.weighted.precision).toBeCloseTo(0.5, 12);
    expect(m.weighted.recall).toBeCloseTo(0.5, 12);
    expect(m.weighted.f1).toBeCloseTo(0.5, 12);
  });

  it("builds the confusion matrix with an invalid column", () => {
    expect(m.confusion).toEqual({
      labels: ["a", "b", "c"],
      matrix: [
        [2, 1, 0, 0],
        [0, 1, 0, 1],
        [1, 0, 0, 0],
      ],
    });
  });

  it("includes labels of the space nobody predicted, and is the same incrementally", () => {
    const counter = new ConfusionCounter();
    for (const [i, g] of gold.entries()) counter.add(g, predicted[i]);
    const withSpace = counter.metrics(["d"]);
    expect(withSpace.confusion.labels).toEqual(["a", "b", "c", "d"]);
    expect(withSpace.perClass.d).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(withSpace.accuracy).toBe(m.accuracy);
  });

  it("is perfect on a perfect classifier", () => {
    const perfect = classificationMetrics(["x", "y"], ["x", "y"]);
    expect(perfect.accuracy).toBe(1);
    expect(perfect.macro.f1).toBe(1);
    expect(perfect.weighted.f1).toBe(1);
  });
});

describe("latency", () => {
  it("interpolates quantiles like numpy", () => {
    const s = summariseLatency([100, 20, 40, 10, 30]);
    expect(s).toMatchObject({ count: 5, mean: 40, p50: 30, max: 100 });
    expect(s.p95).toBeCloseTo(88, 10);
    expect(quantile([5], 0.95)).toBe(5);
    expect(summariseLatency([])).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, max: 0 });
  });
});
