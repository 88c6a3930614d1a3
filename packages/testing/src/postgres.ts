import { randomBytes } from "node:crypto";
import pg from "pg";

/** The machine's PostgreSQL (trust auth). Override with TEST_POSTGRES_URL. */
export const TEST_POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestPostgresDatabase {
  /** URL of a fresh, empty database made for this test file. */
  url: string;
  name: string;
  /** Drops the database (connections still open are terminated). */
  drop(): Promise<void>;
}

/** Creates a fresh database on the real PostgreSQL server, so test files never share state. */
export async function createTestPostgresDatabase(label = "t"): Promise<TestPostgresDatabase> {
  const name = `mlops_${label.replace(/[^a-z0-9]/gi, "").toLowerCase()}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
