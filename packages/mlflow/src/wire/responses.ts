import { z } from "zod";
import {
  artifactFileSchema,
  experimentSchema,
  metricSchema,
  modelVersionSchema,
  registeredModelSchema,
  runInfoSchema,
  runSchema,
} from "./entities";

/** One zod schema per MLflow response body, named after the endpoint. */
const empty = z.object({});
const page = { next_page_token: z.string().optional() };

export const responses = {
  empty,
  createExperiment: z.object({ experiment_id: z.string() }),
  getExperiment: z.object({ experiment: experimentSchema }),
  searchExperiments: z.object({ experiments: z.array(experimentSchema).default([]), ...page }),
  createRun: z.object({ run: runSchema }),
  getRun: z.object({ run: runSchema }),
  updateRun: z.object({ run_info: runInfoSchema }),
  searchRuns: z.object({ runs: z.array(runSchema).default([]), ...page }),
  getMetricHistory: z.object({ metrics: z.array(metricSchema).default([]), ...page }),
  listArtifacts: z.object({ files: z.array(artifactFileSchema).default([]) }),
  registeredModel: z.object({ registered_model: registeredModelSchema }),
  searchRegisteredModels: z.object({ registered_models: z.array(registeredModelSchema).default([]), ...page }),
  modelVersion: z.object({ model_version: modelVersionSchema }),
  searchModelVersions: z.object({ model_versions: z.array(modelVersionSchema).default([]), ...page }),
  getDownloadUri: z.object({ artifact_uri: z.string() }),
  error: z.object({ error_code: z.string(), message: z.string().default("") }),
};

/** A page of results and the token for the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextPageToken: string | undefined;
}
