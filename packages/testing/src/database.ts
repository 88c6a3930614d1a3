import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "@mlops/db/client";
import { createTestPostgresDatabase } from "./postgres";

export type TestDriver = "postgres" | "pglite";

/** The drivers every database test suite runs on. */
export const TEST_DRIVERS: TestDriver[] = ["postgres", "pglite"];

export interface TestDatabase {
  database: Database;
  /** Postgres URL when the driver is postgres, so other processes (a spawned worker) can connect. */
  url: string | undefined;
  cleanup(): Promise<void>;
}

/** A migrated app database on the given driver: a fresh Postgres database, or PGlite in a temp directory. */
export async function createTestDatabase(driver: TestDriver, label = "db"): Promise<TestDatabase> {
  if (driver === "postgres") {
    const pgdb = await createTestPostgresDatabase(label);
    const database = await openDatabase({ url: pgdb.url });
    return {
      database,
      url: pgdb.url,
      async cleanup() {
        await database.close();
        await pgdb.drop();
      },
    };
  }
  const home = mkdtempSync(join(tmpdir(), "mlops-pglite-"));
  const database = await openDatabase({ home });
  return {
    database,
    url: undefined,
    async cleanup() {
      await database.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
