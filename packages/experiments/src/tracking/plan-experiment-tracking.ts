import type { ExperimentModelRow } from "@mlops/db";
import type { DatasetInputArgs } from "@mlops/mlflow";
import type { ExperimentReport, ModelReport } from "../run/summarize-experiment";
import type { ExperimentStore, ScoredPrediction } from "../store/experiment-store";
import { comparisonMarkdown } from "./comparison-markdown";
import { datasetFacts, datasetInput } from "./dataset-lineage";
import { modelRunMetrics } from "./model-run-metrics";
import { confusionMatrixPng } from "./png/confusion-heatmap";
import { predictionRecords, predictionsCsv, predictionsJson } from "./predictions-artifacts";

/** One file to upload into a run's artifacts. */
export interface TrackedArtifact {
  path: string;
  content: Uint8Array | string;
}

/** One MLflow run to write: what `logExperimentRuns` sends. */
export interface TrackedRun {
  runName: string;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  artifacts: TrackedArtifact[];
}

export interface ModelRunPlan extends TrackedRun {
  model: string;
  status: ModelReport["status"];
}

/** Everything an experiment logs: a parent run and one child run per model, over the same dataset inputs. */
export interface ExperimentTrackingPlan {
  /** The MLflow experiment the runs go into. */
  experimentName: string;
  /** Our experiment id (`exp_…`): tagged `mlops.experiment_id` on every run, so a retry finds its runs. */
  experimentId: string;
  status: ExperimentReport["status"];
  datasets: DatasetInputArgs[];
  parent: TrackedRun;
  children: ModelRunPlan[];
}

export const EXPERIMENT_ID_TAG = "mlops.experiment_id";
export const RUN_ROLE_TAG = "mlops.run_role";
export const MODEL_TAG = "mlops.model";

/** Artifact paths inside a child run. */
export const ARTIFACTS = {
  predictionsCsv: "predictions/predictions.csv",
  predictionsJson: "predictions/predictions.json",
  confusionPng: (task: string) => `confusion_matrix/${task}.png`,
  confusionJson: (task: string) => `confusion_matrix/${task}.json`,
  comparison: "comparison.md",
  report: "report.json",
} as const;

function providerOf(row: ExperimentModelRow | undefined, model: ModelReport): string {
  if (model.kind === "local") return "local";
  if (model.simulated) return "simulator";
  const info = (row?.info ?? {}) as { baseUrl?: string };
  const url = info.baseUrl ?? "";
  if (/databricks/i.test(url) || model.model.startsWith("databricks-")) return "databricks";
  if (/openai\.com/i.test(url)) return "openai";
  if (/anthropic\.com/i.test(url)) return "anthropic";
  if (/localhost|127\.0\.0\.1/.test(url)) return "self-hosted";
  try {
    return new URL(url).hostname;
  } catch {
    return "unknown";
  }
}

async function allPredictions(store: ExperimentStore, experimentId: string, model: string) {
  const out: ScoredPrediction[] = [];
  for await (const page of store.scoredPredictions(experimentId, model)) out.push(...page);
  return out;
}

/**
 * Builds what an experiment logs to MLflow from its report and stored predictions: a parent run (params of the
 * dataset and prompt, the comparison report in Markdown, the report JSON) and a child run per model with its
 * params (provider, endpoint, model, track, prompt version, dataset name/digest/rows, seed), every metric, tags
 * (track, provider, model) and artifacts (predictions CSV + JSON, confusion matrices as PNG heatmaps + JSON).
 */
export async function planExperimentTracking(
  store: ExperimentStore,
  report: ExperimentReport,
  options: { experimentName?: string } = {},
): Promise<ExperimentTrackingPlan> {
  const experiment = await store.get(report.experimentId);
  const spec = experiment.spec as { seed?: number; testFraction?: number; limit?: number; prompt?: string };
  const rows = await store.models(report.experimentId);
  const dataset = report.dataset;
  const facts = dataset ? await datasetFacts(dataset.source, dataset.path, dataset.rows) : undefined;
  const trainFacts = dataset?.train ? await datasetFacts(dataset.train, dataset.train, dataset.trainItems) : undefined;
  const datasets = [
    ...(facts ? [datasetInput(facts, "evaluation")] : []),
    ...(trainFacts ? [datasetInput(trainFacts, "training")] : []),
  ];
  const shared: Record<string, string> = {
    prompt_template_version: report.promptVersion ?? "",
    dataset_name: facts?.name ?? "",
    dataset_digest: facts?.digest ?? "",
    dataset_rows: String(facts?.rows ?? 0),
    seed: String(spec.seed ?? 42),
  };
  const baseTags = { [EXPERIMENT_ID_TAG]: report.experimentId };
  const texts = new Map<number, string>();
  for (const item of await store.testItems(report.experimentId, 0, report.itemCount)) texts.set(item.idx, item.text);

  const children: ModelRunPlan[] = [];
  for (const model of report.models) {
    const row = rows.find((r) => r.model === model.model);
    const provider = providerOf(row, model);
    const artifacts: TrackedArtifact[] = [];
    const records = predictionRecords(
      await allPredictions(store, report.experimentId, model.model),
      texts,
      report.primaryTask,
    );
    artifacts.push({ path: ARTIFACTS.predictionsCsv, content: predictionsCsv(records) });
    artifacts.push({ path: ARTIFACTS.predictionsJson, content: predictionsJson(records) });
    for (const task of ["category", "sentiment"] as const) {
      const metrics = model[task];
      if (!metrics) continue;
      const { labels, matrix } = metrics.confusion;
      artifacts.push({
        path: ARTIFACTS.confusionJson(task),
        content: `${JSON.stringify({ task, rows: "gold", columns: [...labels, "invalid"], labels, matrix }, null, 2)}\n`,
      });
      artifacts.push({
        path: ARTIFACTS.confusionPng(task),
        content: confusionMatrixPng({ title: `${model.model} - ${task}`, labels, matrix }),
      });
    }
    children.push({
      model: model.model,
      status: model.status,
      runName: model.model,
      params: {
        ...shared,
        provider,
        endpoint: model.endpoint ?? "",
        model: model.model,
        track: model.track,
        kind: model.kind,
        tasks: model.tasks.join(","),
      },
      metrics: modelRunMetrics(model, report.primaryTask),
      tags: {
        ...baseTags,
        [RUN_ROLE_TAG]: "model",
        [MODEL_TAG]: model.model,
        track: model.track,
        provider,
        model: model.model,
        simulated: String(model.simulated),
        ...(model.error ? { error: model.error.slice(0, 5000) } : {}),
      },
      artifacts,
    });
  }

  const best = report.models.map((m) => m[report.primaryTask]?.accuracy).filter((v): v is number => v !== undefined);
  return {
    experimentName: options.experimentName ?? `mlops/${facts?.name ?? "experiments"}`,
    experimentId: report.experimentId,
    status: report.status,
    datasets,
    parent: {
      runName: report.experimentId,
      params: {
        ...shared,
        models: report.models.map((m) => m.model).join(","),
        test_fraction: String(spec.testFraction ?? ""),
        limit: String(spec.limit ?? ""),
        primary_task: report.primaryTask,
      },
      metrics: {
        items: report.itemCount,
        models: report.models.length,
        spent_usd: report.spend.spentUsd,
        ...(best.length > 0 ? { best_accuracy: Math.max(...best) } : {}),
      },
      tags: {
        ...baseTags,
        [RUN_ROLE_TAG]: "parent",
        status: report.status,
        recommended: report.decision.model ?? "",
        simulated: String(report.simulated),
      },
      artifacts: [
        { path: ARTIFACTS.comparison, content: comparisonMarkdown(report) },
        { path: ARTIFACTS.report, content: `${JSON.stringify(report, null, 2)}\n` },
      ],
    },
    children,
  };
}
