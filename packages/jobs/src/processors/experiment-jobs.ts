import { formatError } from "@mlops/core";
import { ExperimentStore, finishExperiment, isExperimentError, prepareExperiment, runShard } from "@mlops/experiments";
import { UnrecoverableError } from "bullmq";
import type { JobHandler, JobServices } from "../job-handler";
import { recordExperimentOutcome } from "./experiment-outcome";
import type { ExperimentJobServices } from "./experiment-services";

function experimentServices(services: JobServices): ExperimentJobServices {
  if (!services.experiments) {
    throw new UnrecoverableError("this worker has no experiment services (JobServices.experiments is not set)");
  }
  return services.experiments;
}

/** `experiment.start`: prepares the experiment and adds its flow of shard jobs and the finalize job. */
export const processExperimentStart: JobHandler<"experiment.start"> = async ({ payload, services, reportProgress }) => {
  const experiments = experimentServices(services);
  const { runtime, addFlow, governance } = experiments;
  const store = new ExperimentStore(services.db);
  let prepared: Awaited<ReturnType<typeof prepareExperiment>>;
  try {
    prepared = await prepareExperiment(store, payload.experimentId, payload.spec, runtime.registry);
  } catch (error) {
    if (!isExperimentError(error)) throw error;
    await store.finish(payload.experimentId, "failed", null, formatError(error));
    throw new UnrecoverableError(formatError(error));
  }
  await reportProgress({ phase: "prepared", items: prepared.dataset.scoredItems, shards: prepared.shards.length });
  if (prepared.shards.length === 0) {
    const report = await finishExperiment(store, payload.experimentId, { governance });
    await recordExperimentOutcome(
      { store, logger: services.logger, ...outcomeServices(experiments) },
      report,
      payload.registration,
    );
  } else
    await addFlow(
      payload.experimentId,
      prepared.shards,
      prepared.models.map((m) => m.model),
      payload.registration,
    );
  return {
    experimentId: payload.experimentId,
    shards: prepared.shards.length,
    models: prepared.models.map((m) => ({ model: m.model, failure: m.failure ?? null })),
  };
};

/** `experiment.shard`: one model over one range of test items; predictions are stored exactly once. */
export const processExperimentShard: JobHandler<"experiment.shard"> = async ({ payload, services, signal }) => {
  const { runtime } = experimentServices(services);
  const outcome = await runShard(runtime, payload.experimentId, payload, { signal });
  const { stopped, ...rest } = outcome;
  return stopped ? { ...rest, stopped } : rest;
};

function outcomeServices(experiments: ExperimentJobServices) {
  return { mlflow: experiments.mlflow, registry: experiments.modelRegistry, approvals: experiments.approvals };
}

/**
 * `experiment.finalize`: the flow's parent, run after every shard: report, comparison and recommendation; then the
 * MLflow runs (parent + one per model) and, with `registration.model`, the registry lifecycle.
 */
export const processExperimentFinalize: JobHandler<"experiment.finalize"> = async ({
  payload,
  services,
  reportProgress,
}) => {
  const experiments = experimentServices(services);
  const store = new ExperimentStore(services.db);
  const report = await finishExperiment(store, payload.experimentId, { governance: experiments.governance });
  await reportProgress({ phase: "reported", status: report.status });
  const stored = await recordExperimentOutcome(
    { store, logger: services.logger, ...outcomeServices(experiments) },
    report,
    payload.registration,
  );
  return {
    experimentId: payload.experimentId,
    status: report.status,
    recommended: report.decision.model ?? null,
    tracking: stored.tracking.status,
    registered: stored.registrations.map((r) => ({
      model: r.model,
      status: r.status,
      ...(r.version ? { version: r.version } : {}),
      ...(r.alias ? { alias: r.alias } : {}),
    })),
  };
};
