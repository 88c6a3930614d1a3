import { type AppConfig, formatError } from "@mlops/core";
import { openDatabase } from "@mlops/db/client";
import { createLakehouse } from "@mlops/lakehouse";
import { createEndpointRegistry } from "@mlops/llm";
import { checkRedis } from "@mlops/queue";
import { endpointRegistryOptions, lakehouseOptions } from "./engine-options";

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
  /** Likewise for the lakehouse file a running API holds open. */
  lakehouse?: ComponentCheck;
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

async function checkLakehouse(config: AppConfig): Promise<ComponentCheck> {
  let target = config.lakehouseEngine === "duckdb" ? "DuckDB" : "Databricks SQL";
  try {
    const options = lakehouseOptions(config);
    target =
      options.engine === "duckdb"
        ? `DuckDB at ${options.path}`
        : `Databricks SQL at ${options.host}${options.httpPath}`;
    const lakehouse = await createLakehouse(options);
    try {
      const catalogs = await lakehouse.listCatalogs();
      return { component: "lakehouse", ok: true, target, detail: `catalogs: ${catalogs.join(", ") || "(none yet)"}` };
    } finally {
      await lakehouse.close();
    }
  } catch (error) {
    return { component: "lakehouse", ok: false, target, detail: formatError(error) };
  }
}

function checkLlm(config: AppConfig): ComponentCheck {
  try {
    const statuses = createEndpointRegistry(endpointRegistryOptions(config)).status();
    const usable = statuses.filter((s) => s.usable).map((s) => s.name);
    const missing = statuses.filter((s) => !s.usable).map((s) => s.message);
    return {
      component: "llm",
      ok: true,
      target: `local models + ${statuses.length} endpoints`,
      detail:
        `local/tfidf-logreg, local/naive-bayes, local/lexicon-sentiment ready; endpoints usable: ${usable.join(", ") || "none"}` +
        (missing.length > 0 ? ` (${missing.length} need credentials, e.g. ${missing[0]})` : ""),
    };
  } catch (error) {
    return { component: "llm", ok: false, target: "endpoints", detail: formatError(error) };
  }
}

/** What each component is connected to, green or red with the reason. */
export async function runDoctor(config: AppConfig, options: DoctorOptions = {}): Promise<DoctorReport> {
  const checks = await Promise.all([
    options.database ?? checkDatabase(config),
    checkQueue(config),
    options.lakehouse ?? checkLakehouse(config),
    checkLlm(config),
  ]);
  return { ok: checks.every((c) => c.ok), checks };
}
