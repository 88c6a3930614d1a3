import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A conversation with the architect, from any channel. The agent's own state lives in its checkpointer. */
export const threads = pgTable("threads", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  channel: text("channel").notNull(),
  createdBy: text("created_by").notNull(),
  metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type ThreadRow = typeof threads.$inferSelect;
