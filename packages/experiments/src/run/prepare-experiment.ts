import type { EndpointRegistry } from "@mlops/llm";
import { datasetColumnsSchema } from "../dataset/dataset-columns";
import { type DatasetSource, resolveDatasetSource } from "../dataset/dataset-source";
import { planAllTest, planSplit } from "../dataset/plan-split";
import { readDatasetRows, type SkippedRow } from "../dataset/read-dataset-rows";
import { ExperimentError } from "../experiment-error";
import { defaultShardSize, type ExperimentSpec } from "../experiment-spec";
import { type ModelPlan, planModels, type Task } from "../models/model-zoo";
import { PROMPT_TEMPLATES } from "../prompts/prompt-template";
import type { ExperimentStore, NewItem } from "../store/experiment-store";

/** One unit of work: a model over test items [from, to). */
export interface Shard {
  model: string;
  from: number;
  to: number;
}

/** What the dataset turned out to hold, shown in the report. */
export interface DatasetSummary {
  source: string;
  path: string;
  train: string | undefined;
  rows: number;
  trainItems: number;
  testItems: number;
  /** Test items scored (after --limit). */
  scoredItems: number;
  skipped: { count: number; rows: Array<SkippedRow & { file: string }> };
  labels: { category: string[]; sentiment: string[] };
  tasks: Task[];
}

export interface PreparedExperiment {
  dataset: DatasetSummary;
  models: ModelPlan[];
  shards: Shard[];
  shardSize: number;
}

const MAX_REPORTED_SKIPS = 200;
const INSERT_BATCH = 1000;

/** Checks a spec before anything is queued: dataset files exist, every model is known, the prompt exists. */
export function validateSpec(spec: ExperimentSpec, registry: EndpointRegistry, cwd?: string): DatasetSource {
  const source = resolveDatasetSource(spec.dataset, cwd);
  if (spec.train) resolveDatasetSource(spec.train, cwd);
  if (!PROMPT_TEMPLATES[spec.prompt]) {
    throw new ExperimentError("EXPERIMENT_SPEC_INVALID", `Unknown prompt template "${spec.prompt}".`, {
      hint: `Known templates: ${Object.keys(PROMPT_TEMPLATES).join(", ")}.`,
    });
  }
  planModels(spec.models, registry, spec.sentimentCol ? ["category", "sentiment"] : ["category"]);
  return source;
}

/**
 * Reads the dataset (streaming, twice: labels first for the split, then the items), stores train and test items,
 * resolves the models (a model that cannot run is stored as failed with the reason) and cuts the work into shards.
 * Idempotent: a retried preparation stores nothing twice.
 */
export async function prepareExperiment(
  store: ExperimentStore,
  experimentId: string,
  spec: ExperimentSpec,
  registry: EndpointRegistry,
): Promise<PreparedExperiment> {
  const source = validateSpec(spec, registry);
  const trainSource = spec.train ? resolveDatasetSource(spec.train) : undefined;
  const columns = datasetColumnsSchema.parse(spec);
  const tasks: Task[] = spec.sentimentCol ? ["category", "sentiment"] : ["category"];
  const skippedRows: DatasetSummary["skipped"]["rows"] = [];
  let skippedCount = 0;
  const categories = new Set<string>();
  const sentiments = new Set<string>();

  let trainFileRows = 0;
  const scan = async (src: DatasetSource, onRow?: (label: string) => void) => {
    for await (const record of readDatasetRows(src, columns)) {
      if (record.kind === "skipped") {
        skippedCount++;
        if (skippedRows.length < MAX_REPORTED_SKIPS) skippedRows.push({ ...record.value, file: src.name });
        continue;
      }
      categories.add(record.value.category);
      if (record.value.sentiment) sentiments.add(record.value.sentiment);
      if (onRow) onRow(record.value.category);
      else trainFileRows++;
    }
  };
  const labels: string[] = [];
  await scan(source, (label) => labels.push(label));
  if (trainSource) await scan(trainSource);
  if (labels.length === 0) {
    throw new ExperimentError("EXPERIMENT_DATASET_EMPTY", `Dataset ${source.path} has no usable rows.`, {
      hint: `${skippedCount} rows were left out; check --label-col and --text-cols.`,
      context: { skipped: skippedRows.slice(0, 20) },
    });
  }
  const plan = trainSource ? planAllTest(labels.length, spec.seed) : planSplit(labels, spec.testFraction, spec.seed);
  labels.length = 0;
  const scored = Math.min(plan.testCount, spec.limit ?? Number.POSITIVE_INFINITY);

  const experiment = await store.get(experimentId);
  if (experiment.itemCount === 0) {
    let batch: NewItem[] = [];
    const flush = async () => {
      await store.insertItems(batch);
      batch = [];
    };
    let usable = 0;
    let trainIdx = 0;
    for await (const record of readDatasetRows(source, columns)) {
      if (record.kind === "skipped") continue;
      const testIdx = plan.testIndex[usable++]!;
      const { row, text, category, sentiment } = record.value;
      if (testIdx >= 0 && testIdx >= scored) continue;
      batch.push({
        experimentId,
        split: testIdx >= 0 ? "test" : "train",
        idx: testIdx >= 0 ? testIdx : trainIdx++,
        sourceRow: row,
        text,
        category,
        sentiment: sentiment ?? null,
      });
      if (batch.length >= INSERT_BATCH) await flush();
    }
    if (trainSource) {
      for await (const record of readDatasetRows(trainSource, columns)) {
        if (record.kind === "skipped") continue;
        const { row, text, category, sentiment } = record.value;
        batch.push({
          experimentId,
          split: "train",
          idx: trainIdx++,
          sourceRow: row,
          text,
          category,
          sentiment: sentiment ?? null,
        });
        if (batch.length >= INSERT_BATCH) await flush();
      }
    }
    await flush();
  }

  const models = planModels(spec.models, registry, tasks);
  const needsTraining = models.some((m) => m.kind === "local" && m.model !== "local/lexicon-sentiment");
  const trainItems = trainSource ? undefined : plan.trainCount;
  for (const m of models) {
    if (
      !m.failure &&
      needsTraining &&
      m.kind === "local" &&
      m.model !== "local/lexicon-sentiment" &&
      trainItems === 0
    ) {
      m.failure = `${m.model} needs training data: the dataset is too small to split, or give --train`;
    }
  }
  await store.insertModels(
    models.map((m, position) => ({
      experimentId,
      model: m.model,
      position,
      kind: m.kind,
      endpoint: m.endpoint ?? null,
      track: m.track,
      tasks: m.tasks,
      info: m.info,
      status: m.failure ? ("failed" as const) : ("pending" as const),
      error: m.failure ?? null,
    })),
  );

  const shardSize = spec.shardSize ?? defaultShardSize(scored);
  // Interleaved by model, so the shards a worker takes first keep every endpoint busy at once.
  const shards: Shard[] = [];
  for (let from = 0; from < scored; from += shardSize) {
    for (const m of models) {
      if (!m.failure) shards.push({ model: m.model, from, to: Math.min(scored, from + shardSize) });
    }
  }
  const dataset: DatasetSummary = {
    source: source.name,
    path: source.path,
    train: trainSource?.path,
    rows: plan.testIndex.length,
    trainItems: trainSource ? trainFileRows : plan.trainCount,
    testItems: plan.testCount,
    scoredItems: scored,
    skipped: { count: skippedCount, rows: skippedRows },
    labels: { category: [...categories].sort(), sentiment: [...sentiments].sort() },
    tasks,
  };
  await store.update(experimentId, {
    status: "running",
    startedAt: experiment.startedAt ?? new Date(),
    dataset: dataset as unknown as Record<string, unknown>,
    labels: dataset.labels,
    itemCount: scored,
    shardSize,
    promptVersion: PROMPT_TEMPLATES[spec.prompt]!.version,
  });
  return { dataset, models, shards, shardSize };
}
