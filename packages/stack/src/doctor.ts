import { type AppConfig, formatError, silentLogger } from "@mlops/core";
import { type Database, openDatabase } from "@mlops/db/client";
import { createLakehouse } from "@mlops/lakehouse";
import { createEndpointRegistry } from "@mlops/llm";
import { checkRedis } from "@mlops/queue";
import { endpointRegistryOptions, lakehouseOptions } from "./engine-options";
import { openTracking, type Tracking } from "./tracking";

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
  /** Likewise for tracking (the built-in server lives on the API's database). */
  tracking?: ComponentCheck;
  /** Likewise for the lakehouse file a running API holds open. */
  lakehouse?: ComponentCheck;
}

/** Tracking as seen from a process that holds the database: the built-in server answers in process. */
export async function checkTracking(tracking: Tracking): Promise<ComponentCheck> {
  const target = tracking.server ? "built-in MLflow-compatible server (app database)" : `MLflow at ${tracking.uri}`;
  try {
    const page = await tracking.client.experiments.search({ maxResults: 1 });
    return {
      component: "tracking",
      ok: true,
      target,
      detail: `answers; ${page.items.length ? "has experiments" : "no experiments yet"}`,
    };
  } catch (error) {
    return { component: "tracking", ok: false, target, detail: formatError(error) };
  }
}

/** Opens the database (and, through it, the built-in tracking server) to check both, then closes it. */
async function checkDatabaseAndTracking(config: AppConfig): Promise<ComponentCheck[]> {
  const target = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `PGlite in ${config.home}/pgdata`;
  let database: Database;
  try {
    database = await openDatabase({ url: config.databaseUrl, home: config.home });
  } catch (error) {
    return [
      { component: "database", ok: false, target, detail: formatError(error) },
      {
        component: "tracking",
        ok: false,
        target: config.mlflowTrackingUri ?? "built-in",
        detail: "needs the database",
      },
    ];
  }
  try {
    const [row] = await database.sql.query<{ count: string }>("select count(*)::text as count from jobs");
    const databaseCheck: ComponentCheck = {
      component: "database",
      ok: true,
      target: database.kind === "postgres" ? `PostgreSQL at ${database.location}` : target,
      detail: `migrated; ${row?.count ?? 0} jobs recorded`,
    };
    return [databaseCheck, await checkTracking(openTracking(config, database, silentLogger()))];
  } finally {
    await database.close();
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
  const [storage, redis, lakehouse] = await Promise.all([
    options.database && options.tracking ? [options.database, options.tracking] : checkDatabaseAndTracking(config),
    checkQueue(config),
    options.lakehouse ?? checkLakehouse(config),
  ]);
  const checks = [storage[0]!, redis, lakehouse, storage[1]!, checkLlm(config)];
  return { ok: checks.every((c) => c.ok), checks };
}
