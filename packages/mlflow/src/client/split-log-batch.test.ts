import { describe, expect, it } from "vitest";
import { splitLogBatch } from "./split-log-batch";

const metric = (i: number) => ({ key: `m${i % 7}`, value: i, timestamp: 1, step: i });
const kv = (prefix: string) => (i: number) => ({ key: `${prefix}${i}`, value: String(i) });

describe("splitLogBatch", () => {
  it("keeps a small batch in one request, and an empty one in none", () => {
    expect(splitLogBatch({ metrics: [metric(0)], params: [kv("p")(0)] })).toHaveLength(1);
    expect(splitLogBatch({})).toEqual([]);
  });

  it("splits 2,500 metrics, 250 params and 130 tags within every limit, losing nothing and keeping order", () => {
    const metrics = Array.from({ length: 2500 }, (_, i) => metric(i));
    const params = Array.from({ length: 250 }, (_, i) => kv("p")(i));
    const tags = Array.from({ length: 130 }, (_, i) => kv("t")(i));
    const chunks = splitLogBatch({ metrics, params, tags });
    for (const chunk of chunks) {
      expect(chunk.metrics.length).toBeLessThanOrEqual(1000);
      expect(chunk.params.length).toBeLessThanOrEqual(100);
      expect(chunk.tags.length).toBeLessThanOrEqual(100);
      expect(chunk.metrics.length + chunk.params.length + chunk.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(chunks.flatMap((c) => c.metrics)).toEqual(metrics);
    expect(chunks.flatMap((c) => c.params)).toEqual(params);
    expect(chunks.flatMap((c) => c.tags)).toEqual(tags);
    expect(chunks.length).toBe(3);
  });
});
