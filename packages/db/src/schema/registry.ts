import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const ALIAS_EVENT_ACTIONS = ["set", "removed"] as const;
export type AliasEventAction = (typeof ALIAS_EVENT_ACTIONS)[number];

/**
 * Every move of a model alias (`champion`, `challenger`, `candidate`, `defeated`) made by `@mlops/registry`: who
 * moved it, when, why, and under which approval. MLflow keeps only where an alias points now; this table is the
 * history that `mlops registry history` shows and that a rollback reads to find the previous champion.
 */
export const registryAliasEvents = pgTable(
  "registry_alias_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    model: text("model").notNull(),
    alias: text("alias").notNull(),
    action: text("action").$type<AliasEventAction>().notNull(),
    /** The version the alias points to after the event (null when removed). */
    version: text("version"),
    /** The version it pointed to before (null when it was unset). */
    previousVersion: text("previous_version"),
    actor: text("actor").notNull(),
    /** What caused it: registration, promotion, rollback. */
    cause: text("cause").notNull(),
    reason: text("reason"),
    approvalId: text("approval_id"),
    approvalDigest: text("approval_digest"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("registry_alias_events_model_idx").on(table.model, table.alias)],
);

export type RegistryAliasEventRow = typeof registryAliasEvents.$inferSelect;

export const OUTBOX_STATUSES = ["pending", "synced"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Tracking writes kept locally while the MLflow server could not be reached (a run's params, metrics, tags,
 * artifacts and the registration asked for). `mlops runs sync` replays the pending ones, oldest first.
 */
export const trackingOutbox = pgTable(
  "tracking_outbox",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<OutboxStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    result: jsonb("result").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp("synced_at", { withTimezone: true }),
  },
  (table) => [index("tracking_outbox_status_idx").on(table.status, table.seq)],
);

export type TrackingOutboxRow = typeof trackingOutbox.$inferSelect;
