import type { AppConfig, Logger } from "@mlops/core";
import { type Database, openDatabase } from "@mlops/db/client";
import { type JobProcessing, startJobProcessing } from "@mlops/jobs";
import { checkRedis, JobProducer, type RedisInfo } from "@mlops/queue";
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
  return {
    tracking,
    config,
    logger,
    database,
    redis,
    jobs,
    startWorker() {
      const processing = startJobProcessing({
        services: { db: database.db, logger },
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
      await jobs.close();
      await database.close();
    },
  };
}
