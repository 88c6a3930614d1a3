import { z } from "zod";

/** One configuration setting: where it comes from, what it accepts, what it defaults to. */
export interface Setting<T = unknown> {
  /** Key in `mlops.config.yaml`, dotted for nesting (`server.port`). */
  key: string;
  /** Environment variable; it wins over the file. */
  env: string;
  schema: z.ZodType<T>;
  /** What the schema accepts, in words, for error messages and `mlops config`. */
  expected: string;
  default: T | undefined;
  description: string;
  /** Never printed in full (tokens, passwords). */
  secret?: boolean;
}

const port = z.coerce.number().int().min(1).max(65535);
const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol.replace(":", ""));
    } catch {
      return false;
    }
  });
const bool = z
  .union([z.boolean(), z.enum(["true", "false", "1", "0", "yes", "no"])])
  .transform((v) => (typeof v === "boolean" ? v : ["true", "1", "yes"].includes(v)));
const nonEmpty = z.string().min(1);

function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

/**
 * Every setting the product reads. The README's configuration table and `mlops config` are made from this list.
 */
export const SETTINGS = {
  home: setting({
    key: "home",
    env: "MLOPS_HOME",
    schema: nonEmpty,
    expected: "a directory path",
    default: ".mlops",
    description: "Where everything local is stored: embedded database, DuckDB lakehouse, artifacts, caches, logs.",
  }),
  host: setting({
    key: "server.host",
    env: "HOST",
    schema: nonEmpty,
    expected: "a host name or IP address",
    default: "127.0.0.1",
    description: "Address the HTTP API listens on.",
  }),
  port: setting({
    key: "server.port",
    env: "PORT",
    schema: port,
    expected: "an integer port between 1 and 65535",
    default: 8787,
    description: "Port the HTTP API listens on.",
  }),
  apiUrl: setting({
    key: "server.url",
    env: "MLOPS_API_URL",
    schema: url(["http", "https"]).optional(),
    expected: "an http(s) URL",
    default: undefined,
    description: "Where the CLI finds a running API (default: http://HOST:PORT).",
  }),
  databaseUrl: setting({
    key: "database.url",
    env: "DATABASE_URL",
    schema: url(["postgres", "postgresql"]).optional(),
    expected: "a postgres:// URL",
    default: undefined,
    description:
      "PostgreSQL for app state, approvals, audit and agent checkpoints. Unset: embedded PGlite in MLOPS_HOME.",
    secret: true,
  }),
  redisUrl: setting({
    key: "redis.url",
    env: "REDIS_URL",
    schema: url(["redis", "rediss"]),
    expected: "a redis:// or rediss:// URL",
    default: "redis://127.0.0.1:6379",
    description: "Redis ≥ 6.2 for the BullMQ job queues.",
    secret: true,
  }),
  queuePrefix: setting({
    key: "redis.prefix",
    env: "MLOPS_QUEUE_PREFIX",
    schema: z.string().regex(/^[a-zA-Z0-9_-]+$/),
    expected: "letters, digits, _ or -",
    default: "mlops",
    description: "Prefix of every BullMQ key, so several installations can share one Redis.",
  }),
  workerConcurrency: setting({
    key: "worker.concurrency",
    env: "WORKER_CONCURRENCY",
    schema: z.coerce.number().int().min(1).max(1000),
    expected: "an integer from 1 to 1000",
    default: 8,
    description: "Jobs one worker process runs at once.",
  }),
  shutdownGraceMs: setting({
    key: "worker.shutdownGraceMs",
    env: "WORKER_SHUTDOWN_GRACE_MS",
    schema: z.coerce.number().int().min(0),
    expected: "milliseconds, an integer ≥ 0",
    default: 25_000,
    description: "On SIGTERM, how long a worker lets jobs in flight finish before handing them back to the queue.",
  }),
  embeddedWorker: setting({
    key: "api.embeddedWorker",
    env: "MLOPS_EMBEDDED_WORKER",
    schema: bool.optional(),
    expected: "true or false",
    default: undefined,
    description: "Run a worker inside the API process. Default: true on the embedded database, false on DATABASE_URL.",
  }),
  logLevel: setting({
    key: "log.level",
    env: "LOG_LEVEL",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    expected: "one of fatal, error, warn, info, debug, trace, silent",
    default: "info",
    description: "Log level of api and worker (logs go to stderr as JSON lines).",
  }),
  mlflowTrackingUri: setting({
    key: "mlflow.trackingUri",
    env: "MLFLOW_TRACKING_URI",
    schema: z
      .string()
      .refine((v) => v === "databricks" || /^https?:\/\//.test(v))
      .optional(),
    expected: "an http(s) URL or `databricks`",
    default: undefined,
    description: "MLflow tracking server. Unset: the built-in MLflow-compatible server.",
  }),
  lakehouseEngine: setting({
    key: "lakehouse.engine",
    env: "MLOPS_LAKEHOUSE",
    schema: z.enum(["duckdb", "databricks"]),
    expected: "duckdb or databricks",
    default: "duckdb",
    description: "Lakehouse engine: embedded DuckDB under MLOPS_HOME, or a Databricks SQL warehouse.",
  }),
  databricksHost: setting({
    key: "databricks.host",
    env: "DATABRICKS_HOST",
    schema: nonEmpty.optional(),
    expected: "a workspace host, e.g. adb-123.azuredatabricks.net",
    default: undefined,
    description: "Databricks workspace (SQL warehouse, Foundation Model APIs, Unity Catalog registry).",
  }),
  databricksToken: setting({
    key: "databricks.token",
    env: "DATABRICKS_TOKEN",
    schema: nonEmpty.optional(),
    expected: "a personal access token",
    default: undefined,
    description: "Databricks token.",
    secret: true,
  }),
  databricksHttpPath: setting({
    key: "databricks.httpPath",
    env: "DATABRICKS_HTTP_PATH",
    schema: nonEmpty.optional(),
    expected: "a SQL warehouse HTTP path, e.g. /sql/1.0/warehouses/abc",
    default: undefined,
    description: "Databricks SQL warehouse HTTP path.",
  }),
  openaiApiKey: setting({
    key: "openai.apiKey",
    env: "OPENAI_API_KEY",
    schema: nonEmpty.optional(),
    expected: "an API key",
    default: undefined,
    description: "OpenAI API key (external track endpoints).",
    secret: true,
  }),
  anthropicApiKey: setting({
    key: "anthropic.apiKey",
    env: "ANTHROPIC_API_KEY",
    schema: nonEmpty.optional(),
    expected: "an API key",
    default: undefined,
    description: "Anthropic API key, used through its OpenAI-compatible API (external track).",
    secret: true,
  }),
} as const;

export type SettingName = keyof typeof SETTINGS;
