import { createApprovalGuard, parseApprovalConfig } from "@mlops/approvals";
import type { AppConfig, Logger } from "@mlops/core";
import { type Database, openDatabase } from "@mlops/db/client";
import { endpointRegistryFromConfig, governanceFromConfig } from "@mlops/experiments";
import {
  createExperimentJobServices,
  type ExperimentJobServices,
  type JobProcessing,
  startJobProcessing,
} from "@mlops/jobs";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { checkRedis, JobProducer, type RedisInfo } from "@mlops/queue";
import { lakehouseOptions } from "./engine-options";
import { openTracking, type Tracking } from "./tracking";

/** The engines an app process holds open, made from the configuration in one place. */
export interface Stack {
  config: AppConfig;
  logger: Logger;
  database: Database;
  redis: RedisInfo;
  jobs: JobProducer;
  /** MLflow tracking and registry: an external server, or the built-in one over the app database. */
  tracking: Tracking;
  /** The configured lakehouse, opened on first use (a DuckDB file admits one process at a time). */
  lakehouse(): Promise<Lakehouse>;
  /** Starts BullMQ workers in this process (the worker app, `mlops up` on the embedded database, CLI fallback). */
  startWorker(): JobProcessing;
  close(): Promise<void>;
}

/**
 * Checks Redis, opens the app database (migrating it) and the job producer. Fails fast with errors that say
 * what to fix: Redis unreachable or too old, database unreachable or locked by another process.
 */
export async function openStack(config: AppConfig, logger: Logger): Promise<Stack> {
  const redis = await checkRedis(config.redisUrl);
  const database = await openDatabase({ url: config.databaseUrl, home: config.home });
  const jobs = new JobProducer({ db: database.db, redisUrl: config.redisUrl, prefix: config.queuePrefix });
  const tracking = openTracking(config, database, logger);
  const workers: JobProcessing[] = [];
  const experimentServices: ExperimentJobServices[] = [];
  let lakehouse: Promise<Lakehouse> | undefined;
  const openLakehouse = () => {
    lakehouse ??= openConfiguredLakehouse(config, logger);
    return lakehouse;
  };
  const pipelines = {
    lakehouse: openLakehouse,
    approvalGuardFor: (approvalId: string | undefined) =>
      createApprovalGuard({
        db: database.db,
        actor: "worker",
        channel: "worker",
        config: parseApprovalConfig(config.sections.approvals ?? {}),
        approvalIdFor: () => approvalId,
      }),
  };
  return {
    lakehouse: openLakehouse,
    tracking,
    config,
    logger,
    database,
    redis,
    jobs,
    startWorker() {
      const experiments = createExperimentJobServices({
        db: database.db,
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        registry: endpointRegistryFromConfig(config),
        governance: governanceFromConfig(config),
        logger,
      });
      experimentServices.push(experiments);
      const processing = startJobProcessing({
        services: { db: database.db, logger, experiments, pipelines },
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        concurrency: config.workerConcurrency,
        logger,
      });
      workers.push(processing);
      return processing;
    },
    async close() {
      for (const worker of workers) await worker.close(config.shutdownGraceMs);
      for (const services of experimentServices) await services.close();
      await jobs.close();
      if (lakehouse) await (await lakehouse.catch(() => undefined))?.close();
      await database.close();
    },
  };
}

/** The configured engine (DuckDB under MLOPS_HOME by default), the same one `mlops doctor` checks. */
function openConfiguredLakehouse(config: AppConfig, logger: Logger): Promise<Lakehouse> {
  return createLakehouse({ ...lakehouseOptions(config), logger });
}
