import {
  bigint,
  bigserial,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
} from "drizzle-orm/pg-core";

/*
 * The store of the built-in MLflow-compatible tracking server (`@mlops/mlflow`), which reaches these tables through
 * raw SQL only (engines never import this package). Times are epoch milliseconds, as on MLflow's wire. `seq` columns
 * keep insertion order, which MLflow's responses follow.
 */

const ms = (name: string) => bigint(name, { mode: "number" });

export const mlflowExperiments = pgTable("mlflow_experiments", {
  experimentId: integer("experiment_id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull().unique(),
  artifactLocation: text("artifact_location").notNull(),
  lifecycleStage: text("lifecycle_stage").notNull().default("active"),
  creationTime: ms("creation_time").notNull(),
  lastUpdateTime: ms("last_update_time").notNull(),
});

export const mlflowExperimentTags = pgTable(
  "mlflow_experiment_tags",
  {
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => mlflowExperiments.experimentId, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);

export const mlflowRuns = pgTable(
  "mlflow_runs",
  {
    runUuid: text("run_uuid").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => mlflowExperiments.experimentId, { onDelete: "cascade" }),
    name: text("name").notNull(),
    userId: text("user_id").notNull().default(""),
    status: text("status").notNull().default("RUNNING"),
    startTime: ms("start_time").notNull(),
    endTime: ms("end_time"),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    artifactUri: text("artifact_uri").notNull(),
    deletedTime: ms("deleted_time"),
  },
  (t) => [index("mlflow_runs_experiment_idx").on(t.experimentId, t.startTime)],
);

const runRef = () => text("run_uuid").notNull();

export const mlflowRunTags = pgTable(
  "mlflow_run_tags",
  {
    runUuid: runRef().references(() => mlflowRuns.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key] })],
);

export const mlflowRunParams = pgTable(
  "mlflow_run_params",
  {
    runUuid: runRef().references(() => mlflowRuns.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key] })],
);

/** Every logged metric point (the history). */
export const mlflowRunMetrics = pgTable(
  "mlflow_run_metrics",
  {
    runUuid: runRef().references(() => mlflowRuns.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: doublePrecision("value").notNull(),
    timestamp: ms("timestamp").notNull(),
    step: ms("step").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key, t.step, t.timestamp, t.value] })],
);

/** The latest point per metric key (highest step, then timestamp, then value): what runs show and filter on. */
export const mlflowRunLatestMetrics = pgTable(
  "mlflow_run_latest_metrics",
  {
    runUuid: runRef().references(() => mlflowRuns.runUuid, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: doublePrecision("value").notNull(),
    timestamp: ms("timestamp").notNull(),
    step: ms("step").notNull().default(0),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.key] }), index("mlflow_latest_metrics_key_idx").on(t.key, t.value)],
);

export const mlflowDatasets = pgTable(
  "mlflow_datasets",
  {
    datasetUuid: text("dataset_uuid").primaryKey(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => mlflowExperiments.experimentId, { onDelete: "cascade" }),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    sourceType: text("source_type").notNull(),
    source: text("source").notNull(),
    schema: text("schema"),
    profile: text("profile"),
  },
  (t) => [unique("mlflow_datasets_identity").on(t.experimentId, t.name, t.digest)],
);

/** A dataset used by a run (lineage), with the input's tags (e.g. `mlflow.data.context`). */
export const mlflowRunInputs = pgTable(
  "mlflow_run_inputs",
  {
    runUuid: runRef().references(() => mlflowRuns.runUuid, { onDelete: "cascade" }),
    datasetUuid: text("dataset_uuid")
      .notNull()
      .references(() => mlflowDatasets.datasetUuid, { onDelete: "cascade" }),
    tags: jsonb("tags").$type<{ key: string; value: string }[]>().notNull().default([]),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runUuid, t.datasetUuid] })],
);

export const mlflowRegisteredModels = pgTable("mlflow_registered_models", {
  name: text("name").primaryKey(),
  creationTime: ms("creation_time").notNull(),
  lastUpdatedTime: ms("last_updated_time").notNull(),
  description: text("description").notNull().default(""),
});

const modelRef = () =>
  text("name")
    .notNull()
    .references(() => mlflowRegisteredModels.name, { onDelete: "cascade", onUpdate: "cascade" });

export const mlflowRegisteredModelTags = pgTable(
  "mlflow_registered_model_tags",
  {
    name: modelRef(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.key] })],
);

export const mlflowModelVersions = pgTable(
  "mlflow_model_versions",
  {
    name: modelRef(),
    version: integer("version").notNull(),
    creationTime: ms("creation_time").notNull(),
    lastUpdatedTime: ms("last_updated_time").notNull(),
    description: text("description").notNull().default(""),
    userId: text("user_id").notNull().default(""),
    currentStage: text("current_stage").notNull().default("None"),
    source: text("source").notNull(),
    runId: text("run_id").notNull().default(""),
    runLink: text("run_link").notNull().default(""),
    status: text("status").notNull().default("READY"),
  },
  (t) => [primaryKey({ columns: [t.name, t.version] })],
);

export const mlflowModelVersionTags = pgTable(
  "mlflow_model_version_tags",
  {
    name: text("name").notNull(),
    version: integer("version").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.version, t.key] }),
    foreignKey({
      columns: [t.name, t.version],
      foreignColumns: [mlflowModelVersions.name, mlflowModelVersions.version],
    })
      .onDelete("cascade")
      .onUpdate("cascade"),
  ],
);

export const mlflowRegisteredModelAliases = pgTable(
  "mlflow_registered_model_aliases",
  {
    name: text("name").notNull(),
    alias: text("alias").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.alias] }),
    foreignKey({
      columns: [t.name, t.version],
      foreignColumns: [mlflowModelVersions.name, mlflowModelVersions.version],
    })
      .onDelete("cascade")
      .onUpdate("cascade"),
  ],
);
