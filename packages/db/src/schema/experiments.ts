import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

export const EXPERIMENT_STATUSES = ["queued", "running", "completed", "failed", "cancelled", "stopped"] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/**
 * One model comparison: the dataset, prompt and metrics shared by every model, its spend and its final report.
 * `stop_requested` ('cancel' | 'max-cost') tells every shard to stop; `reserved_cost_usd` holds the spend reserved
 * before each paid request, so the cap holds across workers.
 */
export const experiments = pgTable(
  "experiments",
  {
    id: text("id").primaryKey(),
    status: text("status").$type<ExperimentStatus>().notNull().default("queued"),
    stopRequested: text("stop_requested").$type<"cancel" | "max-cost">(),
    spec: jsonb("spec").$type<Record<string, unknown>>().notNull(),
    dataset: jsonb("dataset").$type<Record<string, unknown>>(),
    promptVersion: text("prompt_version"),
    labels: jsonb("labels").$type<{ category: string[]; sentiment: string[] }>(),
    itemCount: integer("item_count").notNull().default(0),
    shardSize: integer("shard_size").notNull().default(0),
    maxCostUsd: doublePrecision("max_cost_usd"),
    reservedCostUsd: doublePrecision("reserved_cost_usd").notNull().default(0),
    report: jsonb("report").$type<Record<string, unknown>>(),
    error: text("error"),
    requestedBy: text("requested_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("experiments_created_at_idx").on(table.createdAt)],
);

/** A model of an experiment: local or an LLM endpoint, its track and outcome (failed with the reason). */
export const experimentModels = pgTable(
  "experiment_models",
  {
    experimentId: text("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    position: integer("position").notNull(),
    kind: text("kind").$type<"local" | "llm">().notNull(),
    endpoint: text("endpoint"),
    track: text("track").$type<"internal" | "external">().notNull(),
    tasks: jsonb("tasks").$type<string[]>().notNull(),
    info: jsonb("info").$type<Record<string, unknown>>(),
    status: text("status").$type<"pending" | "running" | "completed" | "failed">().notNull().default("pending"),
    error: text("error"),
  },
  (table) => [primaryKey({ columns: [table.experimentId, table.model] })],
);

/** The items of an experiment: `split` 'train' (local models learn from it) or 'test' (every model is scored). */
export const experimentItems = pgTable(
  "experiment_items",
  {
    experimentId: text("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    split: text("split").$type<"train" | "test">().notNull(),
    idx: integer("idx").notNull(),
    sourceRow: integer("source_row").notNull(),
    text: text("text").notNull(),
    category: text("category").notNull(),
    sentiment: text("sentiment"),
  },
  (table) => [primaryKey({ columns: [table.experimentId, table.split, table.idx] })],
);

/**
 * One model's answer on one test item. The primary key (experiment, model, item) makes each prediction count
 * once, however often a shard is retried or duplicated. A null label is an invalid (unreadable) answer.
 */
export const experimentPredictions = pgTable(
  "experiment_predictions",
  {
    experimentId: text("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    itemIdx: integer("item_idx").notNull(),
    category: text("category"),
    sentiment: text("sentiment"),
    problems: text("problems"),
    raw: text("raw"),
    latencyMs: doublePrecision("latency_ms").notNull(),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    cached: boolean("cached").notNull().default(false),
    attempts: integer("attempts").notNull().default(1),
    worker: text("worker"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.experimentId, table.model, table.itemIdx] })],
);

export type ExperimentRow = typeof experiments.$inferSelect;
export type ExperimentModelRow = typeof experimentModels.$inferSelect;
export type ExperimentItemRow = typeof experimentItems.$inferSelect;
export type ExperimentPredictionRow = typeof experimentPredictions.$inferSelect;
