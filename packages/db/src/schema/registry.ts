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

export const PENDING_REGISTRATION_STATUSES = ["pending", "registering", "registered", "duplicate"] as const;
export type PendingRegistrationStatus = (typeof PENDING_REGISTRATION_STATUSES)[number];

/**
 * Registrations asked for with `requireApproval` (`--require-approval`): the run's results (model, run, metrics,
 * spec, tags), the exact `registry.register` action and its digest that a person approves, and the approval request
 * made for it. `registerApproved` registers one through the lifecycle once that approval is there (and used).
 */
export const registryPendingRegistrations = pgTable(
  "registry_pending_registrations",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    model: text("model").notNull(),
    runId: text("run_id").notNull(),
    /** What is registered: `RegisterVersionInput` without `requireApproval` (the spec parsed, in full). */
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    /** The `registry.register` action as approved, and the SHA-256 of its canonical JSON. */
    action: jsonb("action").$type<Record<string, unknown>>().notNull(),
    digest: text("digest").notNull(),
    /** The role and alias the version would get when it was asked for (the lifecycle decides again at the end). */
    role: text("role").notNull(),
    alias: text("alias"),
    validationReason: text("validation_reason"),
    requestedBy: text("requested_by").notNull(),
    approvalId: text("approval_id"),
    status: text("status").$type<PendingRegistrationStatus>().notNull().default("pending"),
    /** The version registered (or the existing version it duplicated). */
    version: text("version"),
    registeredAlias: text("registered_alias"),
    registeredBy: text("registered_by"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (table) => [
    index("registry_pending_registrations_status_idx").on(table.status, table.seq),
    index("registry_pending_registrations_digest_idx").on(table.digest),
    index("registry_pending_registrations_approval_idx").on(table.approvalId),
  ],
);

export type RegistryPendingRegistrationRow = typeof registryPendingRegistrations.$inferSelect;
