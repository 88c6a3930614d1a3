import { isMlflowError, type MlflowClient, type RunStatus } from "@mlops/mlflow";
import {
  EXPERIMENT_ID_TAG,
  type ExperimentTrackingPlan,
  MODEL_TAG,
  RUN_ROLE_TAG,
  type TrackedRun,
} from "./plan-experiment-tracking";

/** Where an experiment's results went in MLflow. */
export interface LoggedExperiment {
  /** The MLflow experiment's name and id. */
  experimentName: string;
  mlflowExperimentId: string;
  parentRunId: string;
  runs: { model: string; runId: string }[];
  /** `log-batch` requests sent (big batches are split). */
  batches: number;
  artifacts: number;
}

const PARENT_RUN_TAG = "mlflow.parentRunId";

async function experimentIdFor(mlflow: MlflowClient, name: string): Promise<string> {
  const found = await mlflow.experiments.getByName(name);
  if (found) return found.experiment_id;
  try {
    return await mlflow.experiments.create({ name });
  } catch (error) {
    if (!isMlflowError(error, "RESOURCE_ALREADY_EXISTS")) throw error;
    return (await mlflow.experiments.getByName(name))!.experiment_id;
  }
}

const quote = (value: string) => `'${value.replace(/'/g, "\\'")}'`;

async function findRun(mlflow: MlflowClient, experimentId: string, tags: Record<string, string>) {
  const filter = Object.entries(tags)
    .map(([key, value]) => `tags.\`${key}\` = ${quote(value)}`)
    .join(" and ");
  return (await mlflow.runs.search({ experimentIds: [experimentId], filter, maxResults: 1 })).items[0];
}

function runStatus(status: string): RunStatus {
  if (status === "failed") return "FAILED";
  if (status === "cancelled") return "KILLED";
  return "FINISHED";
}

/**
 * Writes the plan to MLflow: the parent run, then one child run per model tagged `mlflow.parentRunId` (so MLflow's
 * UI nests them and its compare view lines them up), each with its params, metrics and tags (`logBatch`, split
 * within MLflow's limits), the dataset inputs (lineage) and its artifacts; runs end FINISHED (FAILED for a failed
 * model or experiment, KILLED when cancelled). Idempotent: a retry finds the runs an earlier attempt created by
 * their `mlops.experiment_id` tag and completes them instead of creating others.
 */
export async function logExperimentRuns(mlflow: MlflowClient, plan: ExperimentTrackingPlan): Promise<LoggedExperiment> {
  const mlflowExperimentId = await experimentIdFor(mlflow, plan.experimentName);
  let batches = 0;
  let artifacts = 0;

  async function writeRun(run: TrackedRun, identity: Record<string, string>, extraTags: Record<string, string>) {
    const existing = await findRun(mlflow, mlflowExperimentId, identity);
    const tags = { ...run.tags, ...extraTags };
    const runId =
      existing?.info.run_id ??
      (
        await mlflow.runs.create({
          experimentId: mlflowExperimentId,
          runName: run.runName,
          tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
        })
      ).info.run_id;
    batches += await mlflow.runs.logBatch(runId, {
      params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(run.metrics).map(([key, value]) => ({ key, value })),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    if (plan.datasets.length > 0) await mlflow.runs.logInputs(runId, plan.datasets);
    for (const artifact of run.artifacts) {
      await mlflow.artifacts.upload(runId, artifact.path, artifact.content);
      artifacts++;
    }
    return runId;
  }

  const parentIdentity = { [EXPERIMENT_ID_TAG]: plan.experimentId, [RUN_ROLE_TAG]: "parent" };
  const parentRunId = await writeRun(plan.parent, parentIdentity, {});
  const runs: LoggedExperiment["runs"] = [];
  for (const child of plan.children) {
    const identity = { [EXPERIMENT_ID_TAG]: plan.experimentId, [MODEL_TAG]: child.model };
    const runId = await writeRun(child, identity, { [PARENT_RUN_TAG]: parentRunId });
    await mlflow.runs.update({ runId, status: runStatus(child.status), endTime: Date.now() });
    runs.push({ model: child.model, runId });
  }
  await mlflow.artifacts.upload(parentRunId, "runs.json", `${JSON.stringify({ parentRunId, runs }, null, 2)}\n`);
  artifacts++;
  await mlflow.runs.update({ runId: parentRunId, status: runStatus(plan.status), endTime: Date.now() });
  return { experimentName: plan.experimentName, mlflowExperimentId, parentRunId, runs, batches, artifacts };
}
