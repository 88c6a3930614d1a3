import type { ExperimentStatus } from "@mlops/db";
import { ExperimentError } from "../experiment-error";
import type { ExperimentStore } from "../store/experiment-store";
import type { ExperimentReport } from "./summarize-experiment";

/** An experiment as the API, the CLI and `--json` show it: status, live progress per model, the report when done. */
export interface ExperimentView {
  id: string;
  status: ExperimentStatus;
  stopRequested: string | null;
  spec: Record<string, unknown>;
  dataset: Record<string, unknown> | null;
  promptVersion: string | null;
  itemCount: number;
  maxCostUsd: number | null;
  reservedCostUsd: number;
  models: Array<{
    model: string;
    kind: string;
    track: string;
    status: string;
    error: string | null;
    done: number;
    total: number;
  }>;
  report: ExperimentReport | null;
  error: string | null;
  requestedBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export function isExperimentFinished(status: ExperimentStatus): boolean {
  return status === "completed" || status === "failed" || status === "cancelled" || status === "stopped";
}

export async function describeExperiment(store: ExperimentStore, id: string): Promise<ExperimentView> {
  const row = await store.get(id);
  const [models, progress] = await Promise.all([store.models(id), store.progress(id)]);
  return {
    id: row.id,
    status: row.status,
    stopRequested: row.stopRequested,
    spec: row.spec,
    dataset: row.dataset,
    promptVersion: row.promptVersion,
    itemCount: row.itemCount,
    maxCostUsd: row.maxCostUsd,
    reservedCostUsd: row.reservedCostUsd,
    models: models.map((m) => ({
      model: m.model,
      kind: m.kind,
      track: m.track,
      status: m.status,
      error: m.error,
      done: progress[m.model] ?? 0,
      total: row.itemCount,
    })),
    report: (row.report as ExperimentReport | null) ?? null,
    error: row.error,
    requestedBy: row.requestedBy,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Recent experiments, newest first (without their reports). */
export async function listExperiments(store: ExperimentStore, limit = 50) {
  const rows = await store.list(limit);
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    dataset: (r.spec as { dataset?: string }).dataset ?? null,
    models: (r.spec as { models?: string[] }).models ?? [],
    itemCount: r.itemCount,
    recommended: ((r.report as ExperimentReport | null)?.decision?.model as string | undefined) ?? null,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }));
}

/** Asks every shard of a running experiment to stop; the report then covers what was answered. */
export async function cancelExperiment(store: ExperimentStore, id: string): Promise<ExperimentView> {
  const row = await store.get(id);
  if (isExperimentFinished(row.status)) {
    throw new ExperimentError("EXPERIMENT_NOT_CANCELLABLE", `Experiment ${id} is already ${row.status}.`, {
      context: { id, status: row.status },
    });
  }
  await store.requestStop(id, "cancel");
  return describeExperiment(store, id);
}
