import { type AppConfig, formatError } from "@mlops/core";
import { openDatabase } from "@mlops/db/client";
import { checkRedis } from "@mlops/queue";

export interface ComponentCheck {
  component: "database" | "redis" | "lakehouse" | "tracking" | "llm";
  ok: boolean;
  /** What it is connected to, e.g. `PGlite in /home/x/.mlops/pgdata` or `PostgreSQL at host:5432/db`. */
  target: string;
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: ComponentCheck[];
}

export interface DoctorOptions {
  /** Skip opening the embedded database (it is held by a running API that answered for itself). */
  database?: ComponentCheck;
}

async function checkDatabase(config: AppConfig): Promise<ComponentCheck> {
  const target = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${config.home}/pgdata`;
  try {
    const database = await openDatabase({ url: config.databaseUrl, home: config.home });
    try {
      const [row] = await database.sql.query<{ count: string }>("select count(*)::text as count from jobs");
      return {
        component: "database",
        ok: true,
        target: database.kind === "postgres" ? `PostgreSQL at ${database.location}` : target,
        detail: `migrated; ${row?.count ?? 0} jobs recorded`,
      };
    } finally {
      await database.close();
    }
  } catch (error) {
    return { component: "database", ok: false, target, detail: formatError(error) };
  }
}

async function checkQueue(config: AppConfig): Promise<ComponentCheck> {
  try {
    const info = await checkRedis(config.redisUrl);
    return { component: "redis", ok: true, target: info.url, detail: `Redis ${info.version}` };
  } catch (error) {
    return { component: "redis", ok: false, target: config.redisUrl, detail: formatError(error) };
  }
}

/** What each component is connected to, green or red with the reason. */
export async function runDoctor(config: AppConfig, options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks = await Promise.all([options.database ?? checkDatabase(config), checkQueue(config)]);
  return { ok: checks.every((c) => c.ok), checks };
}
