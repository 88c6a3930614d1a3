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
import type { ExperimentRegistration, JobProducer } from "@mlops/queue";

/** The registered model the bundled sample's models go to unless told otherwise. */
export const SAMPLE_REGISTERED_MODEL = "news-classifier";

export interface SubmitExperimentOptions {
  db: AppDatabase;
  jobs: JobProducer;
  registry: EndpointRegistry;
  spec: ExperimentSpecInput;
  requestedBy: string;
  /** Relative dataset paths are resolved against it, so any worker finds them. @defaultValue process.cwd() */
  cwd?: string;
  /**
   * Where the models are registered afterwards. `model` defaults to `news-classifier` for the bundled sample and
   * to nothing (no registration) for other datasets; `register: false` evaluates without registering;
   * `requireApproval` asks before registering.
   */
  registration?: Partial<ExperimentRegistration>;
}

/** The registration an experiment gets: the given one, or `news-classifier` for the bundled sample. */
export function resolveRegistration(
  dataset: string,
  given: Partial<ExperimentRegistration> = {},
): ExperimentRegistration | undefined {
  const model = given.model ?? (dataset === "sample" ? SAMPLE_REGISTERED_MODEL : undefined);
  if (!model && !given.mlflowExperiment) return undefined;
  return {
    ...(model ? { model } : {}),
    register: given.register ?? true,
    requireApproval: given.requireApproval ?? false,
    ...(given.mlflowExperiment ? { mlflowExperiment: given.mlflowExperiment } : {}),
  };
}

/**
 * Checks a spec (dataset files, model names, prompt), records the experiment and enqueues `experiment.start`.
 * Unknown models and missing files fail here, before anything is queued.
 */
export async function submitExperiment(
  options: SubmitExperimentOptions,
): Promise<{ experimentId: string; jobId: string; registration: ExperimentRegistration | undefined }> {
  const parsed = experimentSpecSchema.parse(options.spec);
  const cwd = options.cwd ?? process.cwd();
  const absolute = (path: string) => (BUNDLED_DATASETS[path] || isAbsolute(path) ? path : resolve(cwd, path));
  const spec = {
    ...parsed,
    dataset: absolute(parsed.dataset),
    ...(parsed.train ? { train: absolute(parsed.train) } : {}),
  };
  validateSpec(spec, options.registry);
  const registration = resolveRegistration(parsed.dataset, options.registration);
  const experimentId = newId("exp");
  await new ExperimentStore(options.db).create(experimentId, spec, options.requestedBy, spec.maxCostUsd);
  const record = await options.jobs.enqueue(
    "experiment.start",
    { experimentId, spec, ...(registration ? { registration } : {}) },
    { requestedBy: options.requestedBy },
  );
  return { experimentId, jobId: record.id, registration };
}
