import { createLogger, formatError, isMlopsError } from "@mlops/core";
import { openStack } from "@mlops/stack";
import { loadWorkerConfig } from "./env";

/**
 * The worker process: BullMQ processors over the job catalog. On SIGTERM or SIGINT it stops taking jobs, lets
 * the running ones finish for WORKER_SHUTDOWN_GRACE_MS, hands back what is still running, and exits 0.
 */
async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger({ level: config.logLevel, name: "worker" });
  const stack = await openStack(config, logger);
  const processing = stack.startWorker();
  console.error(`worker ${processing.workerId} ready (database: ${stack.database.kind}, redis: ${stack.redis.url})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: processing.inFlight() }, "stopping: no new jobs; letting running jobs finish");
    const outcome = await processing.close(config.shutdownGraceMs);
    await stack.close();
    logger.info(outcome, "worker stopped");
    console.error(`worker stopped: ${outcome.finished} finished, ${outcome.handedBack} handed back`);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error) => {
  console.error(`worker: ${formatError(error)}`);
  process.exit(isMlopsError(error) && error.code === "CONFIG_INVALID" ? 2 : 1);
});
