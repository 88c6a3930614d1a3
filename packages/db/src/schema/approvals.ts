import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

export const APPROVAL_STATUSES = ["pending", "approved", "rejected"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * A request for human confirmation of one action. `digest` is the SHA-256 of the action's canonical JSON: what
 * people approve. Expiry is computed against `expires_at`; `used_at` is set once, when the action executes.
 */
export const approvalRequests = pgTable(
  "approval_requests",
  {
    id: text("id").primaryKey(),
    digest: text("digest").notNull(),
    kind: text("kind").notNull(),
    target: text("target").notNull(),
    action: jsonb("action").$type<Record<string, unknown>>().notNull(),
    requestedBy: text("requested_by").notNull(),
    requestedVia: text("requested_via").notNull(),
    reason: text("reason").notNull(),
    risk: jsonb("risk").$type<Record<string, unknown>>().notNull(),
    /** Who may approve and how many must, fixed when the request is made. */
    policy: jsonb("policy").$type<Record<string, unknown>>().notNull(),
    requiredApprovals: integer("required_approvals").notNull().default(1),
    status: text("status").$type<ApprovalStatus>().notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    usedAt: timestamp("used_at", { withTimezone: true }),
    usedBy: text("used_by"),
    /** Where the request was posted in Slack, so the message can be updated in place. */
    slackChannel: text("slack_channel"),
    slackTs: text("slack_ts"),
  },
  (table) => [
    index("approval_requests_digest_idx").on(table.digest),
    index("approval_requests_status_idx").on(table.status),
  ],
);

/** One person's decision on a request. At most one per person and request (the unique index). */
export const approvalDecisions = pgTable(
  "approval_decisions",
  {
    id: text("id").primaryKey(),
    requestId: text("request_id")
      .notNull()
      .references(() => approvalRequests.id),
    approver: text("approver").notNull(),
    decision: text("decision").$type<"approve" | "reject">().notNull(),
    channel: text("channel").notNull(),
    reason: text("reason"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex("approval_decisions_request_approver_idx").on(table.requestId, table.approver)],
);

export type ApprovalRequestRow = typeof approvalRequests.$inferSelect;
export type ApprovalDecisionRow = typeof approvalDecisions.$inferSelect;
