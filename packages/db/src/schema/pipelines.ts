import { bigint, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const PIPELINE_RUN_STATUSES = ["running", "completed", "failed"] as const;
export type PipelineRunStatus = (typeof PIPELINE_RUN_STATUSES)[number];

export const PIPELINE_STEP_STATUSES = ["pending", "running", "completed", "failed", "skipped"] as const;
export type PipelineStepStatus = (typeof PIPELINE_STEP_STATUSES)[number];

/** One run of a declarative pipeline (`@mlops/pipelines`): which spec, from which step, with what outcome. */
export const pipelineRuns = pgTable(
  "pipeline_runs",
  {
    id: text("id").primaryKey(),
    pipeline: text("pipeline").notNull(),
    /** SHA-256 of the spec as run, so a resume can tell whether the spec changed. */
    specDigest: text("spec_digest").notNull(),
    status: text("status").$type<PipelineRunStatus>().notNull().default("running"),
    fromStep: text("from_step"),
    /** The run this one resumes, if any. */
    resumedFrom: text("resumed_from"),
    backfill: jsonb("backfill").$type<{ from: string; to: string } | null>(),
    failedStep: text("failed_step"),
    error: text("error"),
    requestedBy: text("requested_by").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [index("pipeline_runs_pipeline_idx").on(table.pipeline, table.startedAt)],
);

/** One step (table) of a run. */
export const pipelineStepRuns = pgTable(
  "pipeline_step_runs",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => pipelineRuns.id),
    step: text("step").notNull(),
    targetTable: text("target_table").notNull(),
    layer: text("layer").notNull(),
    mode: text("mode").notNull(),
    status: text("status").$type<PipelineStepStatus>().notNull(),
    rowsIn: bigint("rows_in", { mode: "number" }),
    rowsWritten: bigint("rows_written", { mode: "number" }),
    rowsDropped: bigint("rows_dropped", { mode: "number" }),
    attempt: integer("attempt").notNull().default(1),
    /** Schema drift against the previous snapshot, notes (scorer used, warnings). */
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [index("pipeline_step_runs_run_idx").on(table.runId)],
);

/** Which table came from which (tables, files, models), by which run. */
export const pipelineLineage = pgTable(
  "pipeline_lineage",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => pipelineRuns.id),
    step: text("step").notNull(),
    targetTable: text("target_table").notNull(),
    source: text("source").notNull(),
    sourceKind: text("source_kind").$type<"table" | "file" | "model">().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("pipeline_lineage_target_idx").on(table.targetTable),
    index("pipeline_lineage_source_idx").on(table.source),
  ],
);

/** Counts of each expectation per run: how many rows broke it and what was done about it. */
export const pipelineExpectationResults = pgTable(
  "pipeline_expectation_results",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => pipelineRuns.id),
    step: text("step").notNull(),
    targetTable: text("target_table").notNull(),
    name: text("name").notNull(),
    condition: text("condition").notNull(),
    action: text("action").$type<"warn" | "drop" | "fail">().notNull(),
    totalRows: bigint("total_rows", { mode: "number" }).notNull(),
    failedRows: bigint("failed_rows", { mode: "number" }).notNull(),
    outcome: text("outcome").$type<"passed" | "warned" | "dropped" | "failed">().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("pipeline_expectation_results_run_idx").on(table.runId)],
);

/** The columns a step produced in a run, for schema drift between runs. */
export const pipelineSchemaSnapshots = pgTable(
  "pipeline_schema_snapshots",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => pipelineRuns.id),
    targetTable: text("target_table").notNull(),
    columns: jsonb("columns").$type<{ name: string; type: string }[]>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("pipeline_schema_snapshots_table_idx").on(table.targetTable, table.createdAt)],
);

export type PipelineRunRow = typeof pipelineRuns.$inferSelect;
export type PipelineStepRunRow = typeof pipelineStepRuns.$inferSelect;
export type PipelineLineageRow = typeof pipelineLineage.$inferSelect;
export type PipelineExpectationResultRow = typeof pipelineExpectationResults.$inferSelect;
export type PipelineSchemaSnapshotRow = typeof pipelineSchemaSnapshots.$inferSelect;
