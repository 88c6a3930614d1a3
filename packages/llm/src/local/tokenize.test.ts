import { describe, expect, it } from "vitest";
import { tokenize } from "./tokenize";

describe("tokenize", () => {
  it("lowercases and splits on anything that is not a letter or digit", () => {
    expect(tokenize("Oil prices ROSE 5% -- to $42.50/barrel!")).toEqual([
      "oil",
      "prices",
      "rose",
      "5",
      "to",
      "42",
      "50",
      "barrel",
    ]);
  });

  it("keeps inner apostrophes and non-ASCII letters", () => {
    expect(tokenize("Profit didn't grow at Nokia's Espoo café")).toEqual([
      "profit",
      "didn't",
      "grow",
      "at",
      "nokia's",
      "espoo",
      "café",
    ]);
  });

  it("returns no tokens for empty or punctuation-only text", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" -- !? ")).toEqual([]);
  });
});
