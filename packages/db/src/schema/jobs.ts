import { index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const JOB_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Every job the product enqueued, with its outcome: what `mlops jobs list` shows. BullMQ holds the live queue. */
export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    queue: text("queue").notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status").$type<JobStatus>().notNull().default("queued"),
    progress: jsonb("progress"),
    result: jsonb("result"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    requestedBy: text("requested_by").notNull(),
    threadId: text("thread_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("jobs_created_at_idx").on(table.createdAt), index("jobs_status_idx").on(table.status)],
);

export type JobRow = typeof jobs.$inferSelect;
