import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A monitor definition (`@mlops/monitors` validates `spec`); results live in the lakehouse gold table. */
export const monitors = pgTable("monitors", {
  name: text("name").primaryKey(),
  table: text("table_name").notNull(),
  spec: jsonb("spec").$type<Record<string, unknown>>().notNull(),
  /** `cron:<pattern>` or `every:<duration>`; null when run only by hand. */
  schedule: text("schedule"),
  onBreach: text("on_breach").notNull().default("none"),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  lastRunId: text("last_run_id"),
  lastRunAt: timestamp("last_run_at", { withTimezone: true }),
  lastStatus: text("last_status"),
});

/** One run of a monitor: its overall status, breaches and what was done about them. */
export const monitorRuns = pgTable(
  "monitor_runs",
  {
    id: text("id").primaryKey(),
    monitorName: text("monitor_name").notNull(),
    trigger: text("trigger").notNull(),
    status: text("status").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
  },
  (table) => [index("monitor_runs_monitor_idx").on(table.monitorName, table.startedAt)],
);

export type MonitorRow = typeof monitors.$inferSelect;
export type MonitorRunRow = typeof monitorRuns.$inferSelect;
