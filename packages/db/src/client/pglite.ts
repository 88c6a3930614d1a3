import { mkdirSync } from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { SqlExecutor } from "@mlops/core";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "../schema";
import type { AppDatabase, Database } from "./database";
import { DbError } from "./db-error";
import { acquireDirectoryLock } from "./directory-lock";
import { MIGRATIONS_FOLDER } from "./migrations-folder";

function transactionExecutor(tx: Transaction): SqlExecutor {
  const executor: SqlExecutor = {
    async query<T>(text: string, params?: readonly unknown[]) {
      return (await tx.query<T>(text, params as unknown[] | undefined)).rows;
    },
    transaction: (inner) => inner(executor),
  };
  return executor;
}

/**
 * Opens the embedded PGlite database in `dataDir` (in memory when omitted). PGlite is single-process: a lock
 * file stops a second process from opening the same directory and corrupting it.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  let release = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = acquireDirectoryLock(dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (cause) {
    release();
    throw new DbError(
      "DB_UNREACHABLE",
      `Cannot open the embedded database in ${dataDir}: ${(cause as Error).message}`,
      {
        hint: "Move the directory aside to start afresh, or set DATABASE_URL to use PostgreSQL.",
        cause,
      },
    );
  }
  const db = drizzle(client, { schema }) as unknown as AppDatabase;
  return {
    kind: "pglite",
    location: dataDir ?? "memory",
    db,
    sql: {
      async query<T>(text: string, params?: readonly unknown[]) {
        return (await client.query<T>(text, params as unknown[] | undefined)).rows;
      },
      transaction: (work) => client.transaction((tx) => work(transactionExecutor(tx))),
    },
    async migrate() {
      try {
        await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
      } catch (cause) {
        throw new DbError(
          "DB_MIGRATION_FAILED",
          `Migrations failed on the embedded database: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
    },
    async close() {
      await client.close();
      release();
    },
  };
}
