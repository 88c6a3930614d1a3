import { newId } from "@mlops/core";
import { trackingOutbox } from "@mlops/db";
import { isMlflowError } from "@mlops/mlflow";
import { logModelSpec } from "./log-model-spec";
import type { ModelSpecInput } from "./model-spec";
import { type RegisterVersionInput, type RegistrationOutcome, registerModelVersion } from "./register-model-version";
import type { RegistryDeps } from "./registry-deps";
import { isRegistryError, RegistryError } from "./registry-error";
import { tracked, unreachable } from "./tracking-calls";

/** Tag that makes a replayed result find the run it already created instead of creating another. */
export const RESULT_ID_TAG = "mlops.result_id";

/** One run's results, as an experiment produces them: what `recordRun` logs to MLflow. */
export interface RunResult {
  experiment: string;
  runName?: string;
  params?: Record<string, string>;
  metrics: Record<string, number>;
  tags?: Record<string, string>;
  /** The classifier's spec, logged as `model/spec.json`. */
  spec?: ModelSpecInput;
  /** Other text artifacts (confusion matrix JSON, predictions CSV…). */
  artifacts?: { path: string; content: string }[];
  /** Register the run as a model version afterwards (with the run's metrics and spec). */
  registration?: Omit<RegisterVersionInput, "runId" | "metrics" | "spec">;
  startTime?: number;
  endTime?: number;
}

export interface RecordedRun {
  resultId: string;
  experimentId: string;
  runId: string;
  registration: RegistrationOutcome | undefined;
}

function isUnreachable(error: unknown): boolean {
  return isMlflowError(error, "MLFLOW_UNREACHABLE") || isRegistryError(error, "REGISTRY_TRACKING_UNREACHABLE");
}

/** Logs the result to MLflow (idempotently, by `resultId`), then registers it when asked. */
export async function writeRunResult(deps: RegistryDeps, result: RunResult, resultId: string): Promise<RecordedRun> {
  const { mlflow } = deps;
  const experimentId = await tracked(deps, async () => {
    const found = await mlflow.experiments.getByName(result.experiment);
    if (found) return found.experiment_id;
    try {
      return await mlflow.experiments.create({ name: result.experiment });
    } catch (error) {
      if (!isMlflowError(error, "RESOURCE_ALREADY_EXISTS")) throw error;
      return (await mlflow.experiments.getByName(result.experiment))!.experiment_id;
    }
  });
  const runId = await tracked(deps, async () => {
    const existing = await mlflow.runs.search({
      experimentIds: [experimentId],
      filter: `tags.\`${RESULT_ID_TAG}\` = '${resultId}'`,
      maxResults: 1,
    });
    const run =
      existing.items[0] ??
      (await mlflow.runs.create({
        experimentId,
        ...(result.runName ? { runName: result.runName } : {}),
        ...(result.startTime ? { startTime: result.startTime } : {}),
        tags: [{ key: RESULT_ID_TAG, value: resultId }],
      }));
    const runId = run.info.run_id;
    await mlflow.runs.logBatch(runId, {
      params: Object.entries(result.params ?? {}).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(result.metrics).map(([key, value]) => ({ key, value })),
      tags: Object.entries(result.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    for (const artifact of result.artifacts ?? [])
      await mlflow.artifacts.upload(runId, artifact.path, artifact.content);
    return runId;
  });
  if (result.spec && !result.registration) await logModelSpec(deps, runId, result.spec);
  await tracked(deps, () => mlflow.runs.update({ runId, status: "FINISHED", endTime: result.endTime ?? Date.now() }));
  const registration = result.registration
    ? await registerModelVersion(deps, {
        ...result.registration,
        runId,
        metrics: result.metrics,
        ...(result.spec ? { spec: result.spec } : {}),
      })
    : undefined;
  return { resultId, experimentId, runId, registration };
}

/**
 * Logs a run's results to MLflow and registers them when asked. When the tracking server cannot be reached the
 * results are kept locally (the tracking outbox) and a REGISTRY_TRACKING_UNREACHABLE error names the entry;
 * `syncTrackingOutbox` (`mlops runs sync`) logs them later.
 */
export async function recordRun(
  deps: RegistryDeps,
  result: RunResult,
  options: { resultId?: string } = {},
): Promise<RecordedRun> {
  const resultId = options.resultId ?? newId("result");
  try {
    return await writeRunResult(deps, result, resultId);
  } catch (error) {
    if (!isUnreachable(error)) throw error;
    await deps.db
      .insert(trackingOutbox)
      .values({
        id: resultId,
        kind: "run_result",
        payload: result as unknown as Record<string, unknown>,
        attempts: 1,
        lastError: (error as Error).message,
      })
      .onConflictDoNothing();
    const base = isRegistryError(error) ? error : unreachable(deps, error);
    throw new RegistryError(
      "REGISTRY_TRACKING_UNREACHABLE",
      `${base.message} The results of '${result.runName ?? result.experiment}' are kept locally (outbox entry ${resultId}).`,
      {
        hint: "Run `mlops runs sync` when the tracking server is back to log them.",
        context: { outboxId: resultId, experiment: result.experiment },
        cause: error,
      },
    );
  }
}
