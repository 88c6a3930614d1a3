import { describe, expect, it } from "vitest";
import { createRandom, shuffleInPlace } from "./prng";

describe("createRandom", () => {
  it("repeats its sequence for the same seed and differs for another", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
    for (const value of first) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it("shuffles deterministically and keeps every element", () => {
    const once = shuffleInPlace(
      Int32Array.from({ length: 20 }, (_, i) => i),
      createRandom(1),
    );
    const again = shuffleInPlace(
      Int32Array.from({ length: 20 }, (_, i) => i),
      createRandom(1),
    );
    expect(Array.from(once)).toEqual(Array.from(again));
    expect(Array.from(once)).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(Array.from(once).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
