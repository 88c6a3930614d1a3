import { isAbsolute, resolve } from "node:path";
import { newId } from "@mlops/core";
import type { AppDatabase } from "@mlops/db";
import {
  BUNDLED_DATASETS,
  type ExperimentSpecInput,
  ExperimentStore,
  experimentSpecSchema,
  validateSpec,
} from "@mlops/experiments";
import type { EndpointRegistry } from "@mlops/llm";
import type { JobProducer } from "@mlops/queue";

export interface SubmitExperimentOptions {
  db: AppDatabase;
  jobs: JobProducer;
  registry: EndpointRegistry;
  spec: ExperimentSpecInput;
  requestedBy: string;
  /** Relative dataset paths are resolved against it, so any worker finds them. @defaultValue process.cwd() */
  cwd?: string;
}

/**
 * Checks a spec (dataset files, model names, prompt), records the experiment and enqueues `experiment.start`.
 * Unknown models and missing files fail here, before anything is queued.
 */
export async function submitExperiment(
  options: SubmitExperimentOptions,
): Promise<{ experimentId: string; jobId: string }> {
  const parsed = experimentSpecSchema.parse(options.spec);
  const cwd = options.cwd ?? process.cwd();
  const absolute = (path: string) => (BUNDLED_DATASETS[path] || isAbsolute(path) ? path : resolve(cwd, path));
  const spec = {
    ...parsed,
    dataset: absolute(parsed.dataset),
    ...(parsed.train ? { train: absolute(parsed.train) } : {}),
  };
  validateSpec(spec, options.registry);
  const experimentId = newId("exp");
  await new ExperimentStore(options.db).create(experimentId, spec, options.requestedBy, spec.maxCostUsd);
  const record = await options.jobs.enqueue(
    "experiment.start",
    { experimentId, spec },
    { requestedBy: options.requestedBy },
  );
  return { experimentId, jobId: record.id };
}
