import type { SqlExecutor } from "@mlops/core";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "../schema";

export type DatabaseKind = "postgres" | "pglite";

/** The drizzle database, the same type on both drivers. */
export type AppDatabase = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open app database: drizzle for typed queries, a raw executor for engines, and lifecycle. */
export interface Database {
  kind: DatabaseKind;
  /** Where it lives, without credentials: a host/database or a directory. */
  location: string;
  db: AppDatabase;
  sql: SqlExecutor;
  /** Applies pending migrations (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
