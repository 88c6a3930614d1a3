import { isAbsolute, resolve } from "node:path";
import { formatError } from "@mlops/core";
import type { AppDatabase } from "@mlops/db";
import {
  BUNDLED_DATASETS,
  describeExperiment,
  type ExperimentReport,
  ExperimentStore,
  type ExperimentView,
  experimentSpecSchema,
  isExperimentError,
  isExperimentFinished,
  planModels,
  validateSpec,
} from "@mlops/experiments";
import type { EndpointRegistry } from "@mlops/llm";
import type { JobProducer } from "@mlops/queue";
import { z } from "zod";
import { failure, type JobTool, renderRows, type ToolOutcome } from "./architect-tool";

const schema = z.object({
  models: z
    .array(z.string().min(1))
    .min(2)
    .max(10)
    .describe("Models to compare: endpoint names or aliases (llama, gpt-oss) or local models (local/tfidf-logreg)"),
  dataset: z
    .string()
    .min(1)
    .optional()
    .describe("Dataset to evaluate on: `sample` (the bundled news sample) or a CSV/JSONL path; default: sample"),
  limit: z.number().int().positive().optional().describe("Score at most this many test items"),
  maxCostUsd: z.number().positive().optional().describe("Spend cap in USD for paid endpoints"),
});

export interface CompareModelsServices {
  db: AppDatabase;
  jobs: JobProducer;
  endpoints: EndpointRegistry;
  /** Relative dataset paths are resolved against it. @defaultValue process.cwd() */
  cwd?: string;
  /** How often the experiment's progress is read while waiting. @defaultValue 500 ms */
  pollMs?: number;
  /** @defaultValue 30 minutes */
  timeoutMs?: number;
}

const DATASET_ALIASES: Record<string, string> = { sample: "sample", "sample-dataset": "sample", news: "sample" };

/** The sample dataset carries sentiment labels, so the sentiment task is scored too. */
const SAMPLE_SENTIMENT_COLUMN = "sentiment";

/**
 * Compares models as an experiment on the workers (`experiment.start` → shards → finalize): accuracy, F1, latency
 * and cost side by side, whether the two best really differ, and a recommendation. Models that cannot run are named
 * with what is missing before anything is queued.
 */
export function createCompareModelsTool(services: CompareModelsServices): JobTool<typeof schema> {
  const store = new ExperimentStore(services.db);
  const pollMs = services.pollMs ?? 500;
  const timeoutMs = services.timeoutMs ?? 30 * 60_000;
  return {
    name: "compare_models",
    effect: "job",
    description:
      "Compare models on a dataset as an experiment on the workers: accuracy, F1, latency p50/p95, cost per 1k items, significance and a recommendation. Says exactly what is missing for a model that cannot run.",
    schema,
    describe: (input) => `compare ${input.models.join(" and ")} on ${input.dataset ?? "the sample dataset"}`,
    async enqueue(input, context) {
      try {
        const datasetName = input.dataset ?? "sample";
        const bundled = DATASET_ALIASES[datasetName.toLowerCase()];
        const dataset = bundled
          ? bundled
          : BUNDLED_DATASETS[datasetName] || isAbsolute(datasetName)
            ? datasetName
            : resolve(services.cwd ?? process.cwd(), datasetName);
        const tasks = bundled ? (["category", "sentiment"] as const) : (["category"] as const);
        const missing = unusableModels(input.models, services.endpoints, [...tasks]);
        if (missing) return missing;
        const spec = experimentSpecSchema.parse({
          dataset,
          models: input.models,
          ...(bundled ? { sentimentCol: SAMPLE_SENTIMENT_COLUMN } : {}),
          ...(input.limit ? { limit: input.limit } : {}),
          ...(input.maxCostUsd ? { maxCostUsd: input.maxCostUsd } : {}),
        });
        validateSpec(spec, services.endpoints);
        // Derived from the step's job id, so a re-run of the step finds the same experiment and job.
        const experimentId = `exp_${context.jobId.replace(/^job_agent_/, "agent_")}`;
        await store.create(experimentId, spec, context.requestedBy, spec.maxCostUsd);
        const record = await services.jobs.enqueue(
          "experiment.start",
          { experimentId, spec },
          { requestedBy: context.requestedBy, threadId: context.threadId, jobId: context.jobId },
        );
        return { jobId: record.id };
      } catch (error) {
        if (isExperimentError(error)) {
          return {
            ok: false,
            summary: `Cannot compare: ${error.message}${error.hint ? `\n${error.hint}` : ""}`,
            data: { code: error.code },
          };
        }
        return failure(error);
      }
    },
    async outcome(record, onProgress) {
      if (record.status !== "completed") {
        return {
          ok: false,
          summary: `The experiment job ${record.id} ${record.status}: ${record.error ?? "no result"}`,
        };
      }
      const { experimentId } = record.result as { experimentId: string };
      try {
        const view = await waitForExperiment(store, experimentId, { pollMs, timeoutMs, onProgress });
        return experimentOutcome(view);
      } catch (error) {
        return { ok: false, summary: `Experiment ${experimentId}: ${formatError(error)}`, data: { experimentId } };
      }
    },
  };
}

/** Each model that cannot run, with what is missing (credentials, an unknown name); undefined when all can. */
function unusableModels(
  models: string[],
  endpoints: EndpointRegistry,
  tasks: ("category" | "sentiment")[],
): ToolOutcome | undefined {
  try {
    const plans = planModels(models, endpoints, tasks);
    const failed = plans.filter((p) => p.failure !== undefined);
    if (failed.length === 0) return undefined;
    const lines = plans.map(
      (p) => `  - ${p.model}: ${p.failure ?? `ready (${p.kind}${p.endpoint ? `, ${p.endpoint}` : ""})`}`,
    );
    return {
      ok: false,
      summary: `Cannot compare yet; what is missing:\n${lines.join("\n")}\nSet what is missing, then ask again (\`mlops doctor\` lists every endpoint).`,
      data: {
        models: plans.map((p) => ({ model: p.model, usable: p.failure === undefined, detail: p.failure ?? null })),
      },
    };
  } catch (error) {
    if (isExperimentError(error)) {
      return {
        ok: false,
        summary: `Cannot compare: ${error.message}${error.hint ? `\n${error.hint}` : ""}`,
        data: { code: error.code },
      };
    }
    throw error;
  }
}

async function waitForExperiment(
  store: ExperimentStore,
  id: string,
  options: { pollMs: number; timeoutMs: number; onProgress?: ((progress: unknown) => void) | undefined },
): Promise<ExperimentView> {
  const deadline = Date.now() + options.timeoutMs;
  let last = "";
  for (;;) {
    const view = await describeExperiment(store, id);
    const progress = view.models.map((m) => ({ model: m.model, status: m.status, done: m.done, total: m.total }));
    const key = JSON.stringify(progress);
    if (key !== last) {
      last = key;
      options.onProgress?.({ experimentId: id, status: view.status, models: progress });
    }
    if (isExperimentFinished(view.status)) return view;
    if (Date.now() > deadline) {
      throw new Error(
        `still ${view.status} after ${Math.round(options.timeoutMs / 1000)} s; it goes on in the background (\`mlops experiment show ${id}\`)`,
      );
    }
    await new Promise((r) => setTimeout(r, options.pollMs));
  }
}

const pct = (value: number | undefined) => (value === undefined ? "" : (value * 100).toFixed(1));

/** The comparison table and the recommendation, as the person reads them. */
export function renderComparison(report: ExperimentReport): string {
  const rows = report.models.map((m) => ({
    model: `${m.model}${m.simulated ? " (SIMULATED)" : ""}`,
    status: m.status,
    accuracy: pct(m.category?.accuracy),
    "f1 macro": pct(m.category?.macro.f1),
    "sentiment acc": pct(m.sentiment?.accuracy),
    "p50 ms": m.latencyMs.p50.toFixed(1),
    "p95 ms": m.latencyMs.p95.toFixed(1),
    "$/1k items": m.cost.per1kItemsUsd.toFixed(4),
    items: `${m.evaluated}/${report.itemCount}`,
  }));
  const lines = [
    `Experiment ${report.experimentId} (${report.status}) on ${report.itemCount} test items:`,
    renderRows(rows),
  ];
  if (report.comparison) lines.push(`Difference: ${report.comparison.verdict}`);
  if (report.decision?.model) {
    lines.push(`Recommendation: ${report.decision.model} — ${report.decision.reasons.join("; ")}`);
  }
  for (const note of report.notes) lines.push(`Note: ${note}`);
  return lines.join("\n");
}

function experimentOutcome(view: ExperimentView): ToolOutcome {
  if (!view.report) {
    return {
      ok: false,
      summary: `Experiment ${view.id} ${view.status}: ${view.error ?? "no report"}`,
      data: { experimentId: view.id, status: view.status },
    };
  }
  return {
    ok: view.status === "completed",
    summary: renderComparison(view.report),
    data: {
      experimentId: view.id,
      status: view.status,
      decision: view.report.decision,
      models: view.report.models.map((m) => ({
        model: m.model,
        status: m.status,
        accuracy: m.category?.accuracy,
        f1Macro: m.category?.macro.f1,
        latencyMs: m.latencyMs,
        costPer1kUsd: m.cost.per1kItemsUsd,
      })),
    },
  };
}
