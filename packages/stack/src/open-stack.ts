import { createApprovalGuard, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import type { AppConfig, Logger } from "@mlops/core";
import { type Database, openDatabase } from "@mlops/db/client";
import { endpointRegistryFromConfig, governanceFromConfig } from "@mlops/experiments";
import {
  breachActionEnqueuer,
  createExperimentJobServices,
  createPipelineFlows,
  createRetrainService,
  createSlackAlertSink,
  type ExperimentJobServices,
  type JobProcessing,
  parseRetrainTargets,
  parseSlackAlertConfig,
  startJobProcessing,
  syncMonitorSchedules,
} from "@mlops/jobs";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { createLogAlertSink, createMonitorStore } from "@mlops/monitors";
import { checkRedis, connectRedis, JobProducer, type RedisInfo } from "@mlops/queue";
import { createModelRegistry, parseCriteria } from "@mlops/registry";
import { lakehouseOptions } from "./engine-options";
import { withLocalApprovals } from "./local-approvals";
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
export async function openStack(appConfig: AppConfig, logger: Logger): Promise<Stack> {
  const config: AppConfig = { ...appConfig, sections: withLocalApprovals(appConfig.sections) };
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
  const pipelineFlows = createPipelineFlows({ redisUrl: config.redisUrl, prefix: config.queuePrefix });
  const pipelines = {
    lakehouse: openLakehouse,
    flows: pipelineFlows,
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
      const modelRegistry = createModelRegistry({
        mlflow: tracking.client,
        db: database.db,
        criteria: parseCriteria(config.sections.criteria),
      });
      const approvals = createApprovalService({
        db: database.db,
        config: parseApprovalConfig(config.sections.approvals ?? {}),
        logger,
      });
      const governance = governanceFromConfig(config);
      const experiments = createExperimentJobServices({
        db: database.db,
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        registry: endpointRegistryFromConfig(config),
        governance,
        logger,
        mlflow: tracking.client,
        modelRegistry,
        approvals,
      });
      experimentServices.push(experiments);
      const slack = parseSlackAlertConfig(config.sections.slack);
      const monitors = {
        lakehouse: openLakehouse,
        // Slack when a `slack:` section exists, else the log
        alerts: slack ? createSlackAlertSink({ config: slack, logger }) : createLogAlertSink(logger),
        requestBreachAction: breachActionEnqueuer(jobs),
        retrain: createRetrainService({
          runtime: experiments.runtime,
          lakehouse: openLakehouse,
          mlflow: tracking.client,
          registry: modelRegistry,
          approvals,
          targets: parseRetrainTargets(config.sections.monitors),
          governance,
          logger,
        }),
      };
      void syncSchedules(config, database, logger);
      const processing = startJobProcessing({
        services: { db: database.db, logger, experiments, pipelines, monitors },
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
      await pipelineFlows.close();
      await jobs.close();
      if (lakehouse) await (await lakehouse.catch(() => undefined))?.close();
      await database.close();
    },
  };
}

/** Makes BullMQ's job schedulers match the stored monitors at worker start; a failure is logged, not fatal. */
async function syncSchedules(config: AppConfig, database: Database, logger: Logger): Promise<void> {
  const connection = connectRedis(config.redisUrl);
  connection.on("error", () => {});
  try {
    const monitors = await createMonitorStore(database.db).list();
    const sync = await syncMonitorSchedules({ connection, prefix: config.queuePrefix, monitors });
    if (sync.upserted.length + sync.removed.length > 0) logger.info(sync, "monitor schedules synced");
  } catch (error) {
    logger.warn({ err: error }, "could not sync monitor schedules");
  } finally {
    connection.disconnect();
  }
}

/** The configured engine (DuckDB under MLOPS_HOME by default), the same one `mlops doctor` checks. */
function openConfiguredLakehouse(config: AppConfig, logger: Logger): Promise<Lakehouse> {
  return createLakehouse({ ...lakehouseOptions(config), logger });
}
