import { describe, expect, it } from "vitest";
import { recommendModel } from "./recommend-model";

describe("recommendModel", () => {
  it("prefers a cheaper model under 5 points behind and over 50% cheaper", () => {
    const d = recommendModel([
      { model: "big", track: "internal", accuracy: 0.92, costPer1k: 1.0 },
      { model: "small", track: "internal", accuracy: 0.89, costPer1k: 0.3 },
    ]);
    expect(d).toMatchObject({ model: "small", rule: "cheaper-within-accuracy-gap", mostAccurate: "big" });
    expect(d.accuracyGap).toBeCloseTo(0.03, 12);
    expect(d.costSaving).toBeCloseTo(0.7, 12);
    expect(d.reasons.join(" ")).toContain("70.0% cheaper");
  });

  it("keeps the most accurate when the gap is 5 points or more, or the saving 50% or less", () => {
    expect(
      recommendModel([
        { model: "big", track: "internal", accuracy: 0.92, costPer1k: 1.0 },
        { model: "small", track: "internal", accuracy: 0.85, costPer1k: 0.1 },
      ]),
    ).toMatchObject({ model: "big", rule: "most-accurate" });
    expect(
      recommendModel([
        { model: "big", track: "internal", accuracy: 0.92, costPer1k: 1.0 },
        { model: "mid", track: "internal", accuracy: 0.9, costPer1k: 0.5 },
      ]),
    ).toMatchObject({ model: "big", rule: "most-accurate" });
  });

  it("considers only internal-track models when governance requires it", () => {
    const d = recommendModel(
      [
        { model: "external-best", track: "external", accuracy: 0.95, costPer1k: 0.2 },
        { model: "internal", track: "internal", accuracy: 0.8, costPer1k: 0.5 },
      ],
      { requireInternal: true },
    );
    expect(d).toMatchObject({ model: "internal", rule: "governance-internal" });
    expect(d.reasons[0]).toContain("left out: external-best");
  });

  it("recommends nothing when nothing finished", () => {
    expect(recommendModel([])).toMatchObject({ model: undefined, rule: "none" });
  });
});
