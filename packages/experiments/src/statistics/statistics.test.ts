import { describe, expect, it } from "vitest";
import { bootstrapAccuracy, bootstrapAccuracyDifference } from "./bootstrap";
import { chiSquare1Survival, exactBinomialTwoSided, mcnemarTest } from "./mcnemar";

/** Per-item correctness with `aOnly` + `bOnly` discordant items and `both` agreements. */
function pair(aOnly: number, bOnly: number, both: number, neither: number) {
  const a = [...Array(aOnly).fill(1), ...Array(bOnly).fill(0), ...Array(both).fill(1), ...Array(neither).fill(0)];
  const b = [...Array(aOnly).fill(0), ...Array(bOnly).fill(1), ...Array(both).fill(1), ...Array(neither).fill(0)];
  return [Uint8Array.from(a), Uint8Array.from(b)] as const;
}

describe("McNemar's test", () => {
  it("uses the exact binomial for few discordant items: 1 vs 6 → p = 2·(1+7)/128", () => {
    const [a, b] = pair(1, 6, 50, 3);
    const r = mcnemarTest(a, b);
    expect(r).toMatchObject({ aOnly: 1, bOnly: 6, method: "exact-binomial", significant: false });
    expect(r.pValue).toBeCloseTo(0.125, 12);
    expect(exactBinomialTwoSided(0, 5)).toBeCloseTo(2 / 32, 12);
    expect(exactBinomialTwoSided(3, 6)).toBe(1);
  });

  it("uses chi-square with continuity correction otherwise: 30 vs 10 → χ² = 19²/40", () => {
    const [a, b] = pair(30, 10, 100, 10);
    const r = mcnemarTest(a, b);
    expect(r.method).toBe("chi-square-corrected");
    expect(r.statistic).toBeCloseTo(9.025, 12);
    expect(r.pValue).toBeCloseTo(0.002663119, 6); // scipy.stats.chi2.sf(9.025, 1)
    expect(r.significant).toBe(true);
    expect(chiSquare1Survival(1)).toBeCloseTo(0.3173105, 6);
  });

  it("finds no difference between identical models", () => {
    const [a, b] = pair(0, 0, 10, 5);
    expect(mcnemarTest(a, b)).toMatchObject({ pValue: 1, significant: false });
  });
});

describe("bootstrap", () => {
  const correct = Uint8Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0 : 1)); // accuracy 0.8

  it("is reproducible for a seed and brackets the estimate", () => {
    const one = bootstrapAccuracy(correct, { seed: 7 });
    expect(bootstrapAccuracy(correct, { seed: 7 })).toEqual(one);
    expect(one.estimate).toBeCloseTo(0.8, 12);
    // Normal approximation: ±1.96·sqrt(0.8·0.2/400) = ±0.0392.
    expect(one.low).toBeGreaterThan(0.75);
    expect(one.low).toBeLessThan(0.775);
    expect(one.high).toBeGreaterThan(0.825);
    expect(one.high).toBeLessThan(0.85);
  });

  it("collapses to a point when every item agrees", () => {
    expect(bootstrapAccuracy(new Uint8Array(10).fill(1))).toMatchObject({ estimate: 1, low: 1, high: 1 });
  });

  it("pairs the items for the difference of two models", () => {
    const [a, b] = pair(30, 10, 100, 10);
    const d = bootstrapAccuracyDifference(a, b, { seed: 1 });
    expect(d.estimate).toBeCloseTo(20 / 150, 12);
    expect(d.low).toBeGreaterThan(0);
    expect(d.high).toBeGreaterThan(d.estimate);
  });
});
