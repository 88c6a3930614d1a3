import type { ExperimentStatus } from "@mlops/db";
import { type Decision, type Governance, recommendModel } from "../decision/recommend-model";
import { type ClassificationMetrics, ConfusionCounter } from "../metrics/classification-metrics";
import { type LatencySummary, summariseLatency } from "../metrics/latency-summary";
import type { Task } from "../models/model-zoo";
import { bootstrapAccuracy, bootstrapAccuracyDifference, type ConfidenceInterval } from "../statistics/bootstrap";
import { type McNemarResult, mcnemarTest } from "../statistics/mcnemar";
import type { ExperimentStore } from "../store/experiment-store";
import type { DatasetSummary } from "./prepare-experiment";

/** One model's results, side by side with the others. */
export interface ModelReport {
  model: string;
  kind: "local" | "llm";
  endpoint: string | null;
  track: "internal" | "external";
  /** Answers come from the endpoint simulator (tests and benchmarks only). */
  simulated: boolean;
  status: "pending" | "running" | "completed" | "failed";
  error: string | null;
  tasks: Task[];
  /** Items with a stored prediction, of `itemCount`. */
  evaluated: number;
  category: ClassificationMetrics | undefined;
  sentiment: ClassificationMetrics | undefined;
  latencyMs: LatencySummary;
  tokens: { prompt: number; completion: number; total: number };
  cost: { totalUsd: number; per1kItemsUsd: number };
  cachedAnswers: number;
}

/** Whether the two best models really differ, on the items both answered. */
export interface PairComparison {
  task: Task;
  a: string;
  b: string;
  items: number;
  accuracyA: ConfidenceInterval;
  accuracyB: ConfidenceInterval;
  /** accuracy(a) − accuracy(b), paired bootstrap. */
  difference: ConfidenceInterval;
  mcnemar: McNemarResult;
  verdict: string;
}

export interface ExperimentReport {
  experimentId: string;
  status: ExperimentStatus;
  stopReason: string | null;
  promptVersion: string | null;
  dataset: DatasetSummary | null;
  itemCount: number;
  primaryTask: Task;
  models: ModelReport[];
  comparison: PairComparison | undefined;
  decision: Decision;
  spend: { maxCostUsd: number | null; spentUsd: number; stoppedAtCap: boolean };
  /** True when any model's answers came from the endpoint simulator: the report is about simulated models. */
  simulated: boolean;
  notes: string[];
}

/**
 * Scores every model from the stored predictions (streamed a page at a time), compares the two best with seeded
 * bootstrap intervals and McNemar's test, and applies the decision rule.
 */
export async function summarizeExperiment(
  store: ExperimentStore,
  experimentId: string,
  status: ExperimentStatus,
  options: { governance?: Partial<Governance>; seed?: number } = {},
): Promise<ExperimentReport> {
  const experiment = await store.get(experimentId);
  const models = await store.models(experimentId);
  const labels = experiment.labels ?? { category: [], sentiment: [] };
  const dataset = (experiment.dataset as DatasetSummary | null) ?? null;
  const n = experiment.itemCount;
  const primaryTask: Task = models.some((m) => (m.tasks as Task[]).includes("category")) ? "category" : "sentiment";
  const correctness = new Map<string, { answered: Uint8Array; correct: Uint8Array }>();
  const reports: ModelReport[] = [];

  for (const m of models) {
    const tasks = m.tasks as Task[];
    const counters = { category: new ConfusionCounter(), sentiment: new ConfusionCounter() };
    const latencies: number[] = [];
    const answered = new Uint8Array(n);
    const correct = new Uint8Array(n);
    let prompt = 0;
    let completion = 0;
    let cost = 0;
    let cached = 0;
    for await (const page of store.scoredPredictions(experimentId, m.model)) {
      for (const p of page) {
        if (tasks.includes("category")) counters.category.add(p.goldCategory, p.category);
        if (tasks.includes("sentiment") && p.goldSentiment) counters.sentiment.add(p.goldSentiment, p.sentiment);
        latencies.push(p.latencyMs);
        prompt += p.promptTokens;
        completion += p.completionTokens;
        cost += p.costUsd;
        if (p.cached) cached++;
        if (p.itemIdx < n) {
          answered[p.itemIdx] = 1;
          const gold = primaryTask === "category" ? p.goldCategory : p.goldSentiment;
          const guess = primaryTask === "category" ? p.category : p.sentiment;
          correct[p.itemIdx] = guess !== null && guess === gold ? 1 : 0;
        }
      }
    }
    const evaluated = latencies.length;
    correctness.set(m.model, { answered, correct });
    const info = (m.info ?? {}) as { simulated?: boolean };
    reports.push({
      model: m.model,
      kind: m.kind,
      endpoint: m.endpoint,
      track: m.track,
      simulated: info.simulated === true,
      status: m.status === "failed" ? "failed" : evaluated > 0 || n === 0 ? "completed" : m.status,
      error: m.error,
      tasks,
      evaluated,
      category: tasks.includes("category") && evaluated > 0 ? counters.category.metrics(labels.category) : undefined,
      sentiment:
        tasks.includes("sentiment") && evaluated > 0 ? counters.sentiment.metrics(labels.sentiment) : undefined,
      latencyMs: summariseLatency(latencies),
      tokens: { prompt, completion, total: prompt + completion },
      cost: { totalUsd: cost, per1kItemsUsd: evaluated === 0 ? 0 : (cost / evaluated) * 1000 },
      cachedAnswers: cached,
    });
  }

  const notes: string[] = [];
  const accuracyOf = (r: ModelReport) => r[primaryTask]?.accuracy ?? 0;
  const finished = reports.filter((r) => r.status !== "failed" && r[primaryTask] !== undefined && r.evaluated > 0);
  for (const r of reports) {
    if (r.status === "failed") notes.push(`${r.model} failed: ${r.error}`);
    else if (r.evaluated < n) notes.push(`${r.model} answered ${r.evaluated} of ${n} items.`);
  }
  if (reports.some((r) => r.simulated)) {
    notes.push("SIMULATED: answers of models marked simulated come from the endpoint simulator, not a real model.");
  }

  const ranked = [...finished].sort((a, b) => accuracyOf(b) - accuracyOf(a));
  let comparison: PairComparison | undefined;
  if (ranked.length >= 2) {
    const [first, second] = [ranked[0]!, ranked[1]!];
    const x = correctness.get(first.model)!;
    const y = correctness.get(second.model)!;
    const shared: number[] = [];
    for (let i = 0; i < n; i++) if (x.answered[i] && y.answered[i]) shared.push(i);
    const a = Uint8Array.from(shared, (i) => x.correct[i]!);
    const b = Uint8Array.from(shared, (i) => y.correct[i]!);
    const seed = options.seed ?? 42;
    const mcnemar = mcnemarTest(a, b);
    const difference = bootstrapAccuracyDifference(a, b, { seed });
    comparison = {
      task: primaryTask,
      a: first.model,
      b: second.model,
      items: shared.length,
      accuracyA: bootstrapAccuracy(a, { seed }),
      accuracyB: bootstrapAccuracy(b, { seed: seed + 1 }),
      difference,
      mcnemar,
      verdict: mcnemar.significant
        ? `${first.model} is more accurate than ${second.model} on ${primaryTask} (McNemar p = ${mcnemar.pValue.toPrecision(3)} < ${mcnemar.alpha}): the difference is real.`
        : `The difference between ${first.model} and ${second.model} on ${primaryTask} is not significant (McNemar p = ${mcnemar.pValue.toPrecision(3)}); treat them as equally accurate on this data.`,
    };
  }

  const governance = {
    ...((experiment.spec as { governance?: Partial<Governance> }).governance ?? {}),
    ...options.governance,
  };
  const decision = recommendModel(
    finished.map((r) => ({ model: r.model, track: r.track, accuracy: accuracyOf(r), costPer1k: r.cost.per1kItemsUsd })),
    governance,
  );
  const spent = reports.reduce((s, r) => s + r.cost.totalUsd, 0);
  const stoppedAtCap = experiment.stopRequested === "max-cost";
  if (stoppedAtCap) {
    notes.push(
      `Stopped at the spend cap of $${experiment.maxCostUsd}: spent $${spent.toFixed(4)}; the next request would have passed it.`,
    );
  }
  if (experiment.stopRequested === "cancel")
    notes.push("Cancelled: results cover the items answered before the cancel.");
  return {
    experimentId,
    status,
    stopReason: experiment.stopRequested,
    promptVersion: experiment.promptVersion,
    dataset,
    itemCount: n,
    primaryTask,
    models: reports,
    comparison,
    decision,
    spend: { maxCostUsd: experiment.maxCostUsd, spentUsd: spent, stoppedAtCap },
    simulated: reports.some((r) => r.simulated),
    notes,
  };
}

/** The final status of an experiment from its stop request and models. */
export function finalStatus(stopRequested: string | null, models: ModelReport[]): ExperimentStatus {
  if (stopRequested === "cancel") return "cancelled";
  if (stopRequested === "max-cost") return "stopped";
  return models.length > 0 && models.every((m) => m.status === "failed") ? "failed" : "completed";
}
