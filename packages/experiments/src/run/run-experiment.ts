import { newId } from "@mlops/core";
import type { Governance } from "../decision/recommend-model";
import { type ExperimentSpecInput, experimentSpecSchema } from "../experiment-spec";
import type { ExperimentRuntime } from "./experiment-runtime";
import { finishExperiment } from "./finish-experiment";
import { prepareExperiment } from "./prepare-experiment";
import { runShard } from "./run-shard";
import type { ExperimentReport } from "./summarize-experiment";

export interface RunExperimentOptions {
  /** @defaultValue a new `exp_…` id */
  experimentId?: string;
  requestedBy?: string;
  /** Shards run at once in this process. @defaultValue 8 */
  concurrency?: number;
  governance?: Partial<Governance>;
  signal?: AbortSignal;
}

/**
 * Runs a whole experiment in this process (no queue): prepare, every shard, report. The queue path runs the same
 * steps as jobs on workers; this one serves tests, benchmarks and library use.
 */
export async function runExperimentInProcess(
  runtime: ExperimentRuntime,
  specInput: ExperimentSpecInput,
  options: RunExperimentOptions = {},
): Promise<ExperimentReport> {
  const spec = experimentSpecSchema.parse(specInput);
  const id = options.experimentId ?? newId("exp");
  await runtime.store.create(
    id,
    spec as unknown as Record<string, unknown>,
    options.requestedBy ?? "library",
    spec.maxCostUsd,
  );
  const prepared = await prepareExperiment(runtime.store, id, spec, runtime.registry);
  const queue = [...prepared.shards];
  const lanes = Array.from({ length: Math.min(options.concurrency ?? 8, queue.length) }, async () => {
    for (let shard = queue.shift(); shard; shard = queue.shift()) {
      await runShard(runtime, id, shard, options.signal ? { signal: options.signal } : {});
    }
  });
  await Promise.all(lanes);
  return finishExperiment(runtime.store, id, options.governance ? { governance: options.governance } : {});
}
