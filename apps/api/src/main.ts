import { serve } from "@hono/node-server";
import { createLogger, formatError, isMlopsError } from "@mlops/core";
import { localUser, openStack } from "@mlops/stack";
import { ensureLocalToken, withLocalDefaults } from "./auth/local-defaults";
import { createApiApp, openApiArchitect } from "./create-api-app";
import { loadApiConfig, webRoot } from "./env";

const VERSION = "0.1.0";

/**
 * The API process. On the embedded database it also runs the worker (PGlite is single-process); with
 * DATABASE_URL, workers run as their own processes (apps/worker) unless MLOPS_EMBEDDED_WORKER=true.
 */
async function main(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger({ level: config.logLevel, name: "api" });
  const stack = await openStack(config, logger);
  const embeddedWorker = config.embeddedWorker ?? stack.database.kind === "pglite";
  const worker = embeddedWorker ? stack.startWorker() : undefined;
  const sections = withLocalDefaults(config.sections, { token: ensureLocalToken(config.home), user: localUser() });
  const architect = await openApiArchitect({ stack, sections });
  const app = createApiApp({ stack, version: VERSION, embeddedWorker, sections, webRoot: webRoot(), architect });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (address) => {
    console.error(
      `api listening on http://${config.host}:${address.port} (database: ${stack.database.kind}, redis: ${stack.redis.url}` +
        `${worker ? `, worker in process ${worker.workerId}` : ""})`,
    );
  });
  server.on("error", async (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `api: port ${config.port} on ${config.host} is in use. Stop what holds it or set PORT.`
        : `api: ${error.message}`,
    );
    await architect.close();
    await stack.close();
    process.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "api stopping");
    server.close();
    await architect.close();
    await stack.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  console.error(`api: ${formatError(error)}`);
  process.exit(isMlopsError(error) && error.code === "CONFIG_INVALID" ? 2 : 1);
});
