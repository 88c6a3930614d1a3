import { join } from "node:path";
import type { Database } from "./database";

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent the embedded PGlite database is used. */
  url?: string | undefined;
  /** MLOPS_HOME: the embedded database lives in `<home>/pgdata`. Omit both for an in-memory database. */
  home?: string | undefined;
  /** Apply pending migrations after opening. @defaultValue true */
  migrate?: boolean;
}

/** Opens the app database on the configured driver and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  // Each driver is loaded only when used: a worker on PostgreSQL never loads the PGlite WASM (~75 MB).
  const database = options.url
    ? await (await import("./postgres")).openPostgres(options.url)
    : await (await import("./pglite")).openPglite(options.home ? join(options.home, "pgdata") : undefined);
  if (options.migrate !== false) {
    try {
      await database.migrate();
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}
