import type { Logger } from "@mlops/core";
import {
  type ExperimentReport,
  type ExperimentStore,
  type ExperimentTrackingPlan,
  type LoggedExperiment,
  logExperimentRuns,
  planExperimentTracking,
} from "@mlops/experiments";
import { isMlflowError, type MlflowClient } from "@mlops/mlflow";
import { isRegistryError, type ModelRegistry, type RunResult } from "@mlops/registry";

/** Where an experiment's results went. */
export type ExperimentTrackingOutcome =
  | ({ status: "logged"; message: string } & LoggedExperiment)
  | {
      status: "kept_locally";
      experimentName: string;
      /** Outbox entries `mlops runs sync` replays, the parent's first. */
      outboxIds: string[];
      message: string;
    }
  | { status: "disabled"; message: string };

const textOnly = (run: ExperimentTrackingPlan["parent"]) =>
  run.artifacts.flatMap((a) => (typeof a.content === "string" ? [{ path: a.path, content: a.content }] : []));

/**
 * The plan as run results for the registry's tracking outbox (used when MLflow cannot be reached). The outbox holds
 * JSON, so binary artifacts (the PNG heatmaps) are left out: their JSON matrices are kept, and the whole report
 * stays in the app database. Children carry `mlops.parent_result_id` instead of `mlflow.parentRunId`, whose run
 * id does not exist yet.
 */
export function planAsRunResults(
  plan: ExperimentTrackingPlan,
  parentResultId: string,
  registrations: ReadonlyMap<string, RunResult["registration"] & object> = new Map(),
  specs: ReadonlyMap<string, RunResult["spec"] & object> = new Map(),
): RunResult[] {
  const parent: RunResult = {
    experiment: plan.experimentName,
    runName: plan.parent.runName,
    params: plan.parent.params,
    metrics: plan.parent.metrics,
    tags: plan.parent.tags,
    artifacts: textOnly(plan.parent),
  };
  const children = plan.children.map((child): RunResult => {
    const registration = registrations.get(child.model);
    const spec = specs.get(child.model);
    return {
      experiment: plan.experimentName,
      runName: child.runName,
      params: child.params,
      metrics: child.metrics,
      tags: { ...child.tags, "mlops.parent_result_id": parentResultId },
      artifacts: textOnly(child),
      ...(spec ? { spec } : {}),
      ...(registration ? { registration } : {}),
    };
  });
  return [parent, ...children];
}

/** Keeps each run result in the registry's outbox (recordRun stores it when the server is unreachable). */
async function keepLocally(registry: ModelRegistry, results: RunResult[], ids: string[]): Promise<string[]> {
  const kept: string[] = [];
  for (const [i, result] of results.entries()) {
    try {
      await registry.recordRun(result, { resultId: ids[i]! });
      kept.push(ids[i]!); // the server came back: logged after all (without nesting)
    } catch (error) {
      if (!isRegistryError(error, "REGISTRY_TRACKING_UNREACHABLE")) throw error;
      kept.push(String((error.context as { outboxId?: string } | undefined)?.outboxId ?? ids[i]));
    }
  }
  return kept;
}

export interface TrackExperimentOptions {
  store: ExperimentStore;
  mlflow: MlflowClient | undefined;
  registry: ModelRegistry | undefined;
  logger: Logger;
  experimentName?: string | undefined;
  /** Registrations to replay with the runs when they have to wait in the outbox (keyed by experiment model). */
  deferredRegistrations?: (plan: ExperimentTrackingPlan) => Promise<{
    registrations: Map<string, RunResult["registration"] & object>;
    specs: Map<string, RunResult["spec"] & object>;
  }>;
}

/**
 * Logs a finished experiment to MLflow (parent + child runs). When the server cannot be reached the runs are kept
 * in the registry's outbox (`mlops runs sync` logs them, and registers the models, later).
 */
export async function trackExperiment(
  options: TrackExperimentOptions,
  report: ExperimentReport,
): Promise<{ outcome: ExperimentTrackingOutcome; plan: ExperimentTrackingPlan | undefined }> {
  if (!options.mlflow) {
    return { outcome: { status: "disabled", message: "No tracking server configured." }, plan: undefined };
  }
  const plan = await planExperimentTracking(
    options.store,
    report,
    options.experimentName ? { experimentName: options.experimentName } : {},
  );
  try {
    const logged = await logExperimentRuns(options.mlflow, plan);
    return {
      outcome: {
        status: "logged",
        ...logged,
        message: `Logged to MLflow experiment ${logged.experimentName}: parent run ${logged.parentRunId} and ${logged.runs.length} model runs.`,
      },
      plan,
    };
  } catch (error) {
    if (!isMlflowError(error, "MLFLOW_UNREACHABLE") || !options.registry) throw error;
    options.logger.warn({ err: error, experimentId: report.experimentId }, "MLflow unreachable; keeping results");
    const deferred = options.deferredRegistrations
      ? await options.deferredRegistrations(plan)
      : { registrations: new Map(), specs: new Map() };
    const ids = [plan.parent, ...plan.children].map((_, i) => `result_${report.experimentId}_${i}`);
    const results = planAsRunResults(plan, ids[0]!, deferred.registrations, deferred.specs);
    const outboxIds = await keepLocally(options.registry, results, ids);
    return {
      outcome: {
        status: "kept_locally",
        experimentName: plan.experimentName,
        outboxIds,
        message: `MLflow at ${options.mlflow.baseUrl} is unreachable: ${outboxIds.length} runs kept locally; \`mlops runs sync\` logs${deferred.registrations.size > 0 ? " and registers" : ""} them.`,
      },
      plan,
    };
  }
}
