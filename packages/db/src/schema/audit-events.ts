import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Append-only log of requests and decisions (who, when, through which channel, about what). A trigger in the
 * migrations refuses UPDATE and DELETE, so not even a bug in our code can rewrite history.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    id: text("id").notNull().unique(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    channel: text("channel").notNull(),
    action: text("action").notNull(),
    subject: text("subject"),
    digest: text("digest"),
    outcome: text("outcome").notNull().default("ok"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [index("audit_events_subject_idx").on(table.subject), index("audit_events_digest_idx").on(table.digest)],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
