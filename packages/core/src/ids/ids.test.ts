import { describe, expect, it } from "vitest";
import { newId } from "./ids";

describe("newId", () => {
  it("has the prefix, is unique, and sorts by creation time", () => {
    const a = newId("job", 1_000);
    const b = newId("job", 2_000);
    expect(a).toMatch(/^job_[0-9a-z]{26}$/);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId("x"))).size).toBe(1000);
  });
});
