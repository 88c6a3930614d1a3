import type { SqlExecutor } from "@mlops/core";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "../schema";
import type { AppDatabase, Database } from "./database";
import { DbError } from "./db-error";
import { MIGRATIONS_FOLDER } from "./migrations-folder";

function poolExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async query<T>(text: string, params?: readonly unknown[]) {
      const result = await pool.query(text, params as unknown[] | undefined);
      return result.rows as T[];
    },
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>) {
      const client = await pool.connect();
      const tx: SqlExecutor = {
        async query<R>(text: string, params?: readonly unknown[]) {
          return (await client.query(text, params as unknown[] | undefined)).rows as R[];
        },
        transaction: (inner) => inner(tx),
      };
      try {
        await client.query("BEGIN");
        const value = await work(tx);
        await client.query("COMMIT");
        return value;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** Redacts the password from a postgres URL for messages. */
export function describePostgresUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** Opens PostgreSQL at `url` and checks that it answers. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  pool.on("error", () => {}); // idle client errors surface on the next query instead of crashing the process
  const location = describePostgresUrl(url);
  try {
    await pool.query("select 1");
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new DbError("DB_UNREACHABLE", `Cannot reach PostgreSQL at ${location}: ${(cause as Error).message}`, {
      hint: "Check DATABASE_URL, or unset it to use the embedded database.",
      cause,
    });
  }
  const db = drizzle(pool, { schema }) as unknown as AppDatabase;
  return {
    kind: "postgres",
    location,
    db,
    sql: poolExecutor(pool),
    async migrate() {
      try {
        await migrate(drizzle(pool), { migrationsFolder: MIGRATIONS_FOLDER });
      } catch (cause) {
        throw new DbError("DB_MIGRATION_FAILED", `Migrations failed on ${location}: ${(cause as Error).message}`, {
          cause,
        });
      }
    },
    close: () => pool.end(),
  };
}
