import { type ExperimentReport, recommendModel } from "@mlops/experiments";
import { describe, expect, it } from "vitest";
import { renderReport } from "./experiment";

const metrics = (accuracy: number) => ({
  items: 10,
  accuracy,
  invalid: 1,
  invalidRate: 0.1,
  macro: { precision: accuracy, recall: accuracy, f1: accuracy },
  weighted: { precision: accuracy, recall: accuracy, f1: accuracy },
  perClass: {},
  confusion: { labels: [], matrix: [] },
});
const model = (name: string, accuracy: number, cost: number, simulated = false) => ({
  model: name,
  kind: "llm" as const,
  endpoint: name,
  track: "internal" as const,
  simulated,
  status: "completed" as const,
  error: null,
  tasks: ["category" as const],
  evaluated: 10,
  category: metrics(accuracy),
  sentiment: undefined,
  latencyMs: { count: 10, mean: 120, p50: 110, p95: 180, max: 200 },
  tokens: { prompt: 900, completion: 100, total: 1000 },
  cost: { totalUsd: cost, per1kItemsUsd: cost * 100 },
  cachedAnswers: 0,
});

describe("renderReport", () => {
  it("shows quality, latency, cost, significance and the recommendation, naming simulated models", () => {
    const models = [model("big", 0.9, 0.02), model("small", 0.88, 0.002, true)];
    const report = {
      experimentId: "exp_1",
      status: "completed",
      stopReason: null,
      promptVersion: "news-zero-shot@abc",
      dataset: null,
      itemCount: 10,
      primaryTask: "category",
      models,
      comparison: undefined,
      decision: recommendModel(
        models.map((m) => ({
          model: m.model,
          track: m.track,
          accuracy: m.category.accuracy,
          costPer1k: m.cost.per1kItemsUsd,
        })),
      ),
      spend: { maxCostUsd: 1, spentUsd: 0.022, stoppedAtCap: false },
      simulated: true,
      notes: [],
    } as unknown as ExperimentReport;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strip ANSI colours
    const text = renderReport(report).replace(/\u001b\[[0-9;]*m/g, "");
    expect(text).toContain("includes SIMULATED endpoints");
    expect(text).toContain("small [simulated]");
    expect(text).toMatch(/big\s+internal\s+completed\s+10\s+90\.0%/);
    expect(text).toContain("Recommendation: small (cheaper-within-accuracy-gap)");
    expect(text).toContain("$0.022 of the $1 cap");
  });
});
