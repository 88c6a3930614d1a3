import { z } from "zod";

/*
 * MLflow's entities as they travel on the wire (snake_case, as in MLflow's REST reference). MLflow leaves out empty
 * repeated fields and unset optional ones; these schemas put the empty lists back so callers never check for
 * `undefined`. Unknown fields (Databricks adds some) are dropped.
 */

const list = <T extends z.ZodType>(item: T) => z.array(item).default([]);
/** int64 fields: numbers from MLflow, strings from some proxies (proto3 JSON allows both). */
const int64 = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

export const tagSchema = z.object({ key: z.string(), value: z.string().default("") });
export type Tag = z.infer<typeof tagSchema>;

export const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().default(""),
  lifecycle_stage: z.string().default("active"),
  creation_time: int64.optional(),
  last_update_time: int64.optional(),
  tags: list(tagSchema),
});
export type Experiment = z.infer<typeof experimentSchema>;

export const RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runInfoSchema = z.object({
  run_id: z.string(),
  run_uuid: z.string().optional(),
  experiment_id: z.string(),
  run_name: z.string().default(""),
  user_id: z.string().default(""),
  status: z.enum(RUN_STATUSES).default("RUNNING"),
  start_time: int64.optional(),
  end_time: int64.optional(),
  artifact_uri: z.string().default(""),
  lifecycle_stage: z.string().default("active"),
});
export type RunInfo = z.infer<typeof runInfoSchema>;

/** MLflow sends NaN and ±Infinity as strings. */
const metricValue = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"]).transform(Number)]);

export const metricSchema = z.object({
  key: z.string(),
  value: metricValue,
  timestamp: int64.default(0),
  step: int64.default(0),
});
export type Metric = z.infer<typeof metricSchema>;

export const paramSchema = z.object({ key: z.string(), value: z.string().default("") });
export type Param = z.infer<typeof paramSchema>;

export const datasetSchema = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});
export type Dataset = z.infer<typeof datasetSchema>;

export const datasetInputSchema = z.object({ tags: list(tagSchema), dataset: datasetSchema });
export type DatasetInput = z.infer<typeof datasetInputSchema>;

export const runDataSchema = z.object({
  metrics: list(metricSchema),
  params: list(paramSchema),
  tags: list(tagSchema),
});
export type RunData = z.infer<typeof runDataSchema>;

export const runSchema = z.object({
  info: runInfoSchema,
  data: runDataSchema.default({ metrics: [], params: [], tags: [] }),
  inputs: z.object({ dataset_inputs: list(datasetInputSchema) }).default({ dataset_inputs: [] }),
});
export type Run = z.infer<typeof runSchema>;

export const modelVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  user_id: z.string().optional(),
  current_stage: z.string().default("None"),
  description: z.string().default(""),
  source: z.string().default(""),
  run_id: z.string().default(""),
  status: z.string().default("READY"),
  run_link: z.string().default(""),
  tags: list(tagSchema),
  aliases: list(z.string()),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

export const aliasSchema = z.object({ alias: z.string(), version: z.string() });
export type RegisteredModelAlias = z.infer<typeof aliasSchema>;

export const registeredModelSchema = z.object({
  name: z.string(),
  creation_timestamp: int64.optional(),
  last_updated_timestamp: int64.optional(),
  user_id: z.string().optional(),
  description: z.string().default(""),
  latest_versions: list(modelVersionSchema),
  tags: list(tagSchema),
  aliases: list(aliasSchema),
});
export type RegisteredModel = z.infer<typeof registeredModelSchema>;

export const artifactFileSchema = z.object({
  path: z.string(),
  is_dir: z.boolean().default(false),
  file_size: int64.optional(),
});
export type ArtifactFile = z.infer<typeof artifactFileSchema>;
