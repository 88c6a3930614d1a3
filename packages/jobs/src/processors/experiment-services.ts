import type { ApprovalService } from "@mlops/approvals";
import type { Logger } from "@mlops/core";
import type { AppDatabase } from "@mlops/db";
import {
  createExperimentRuntime,
  type ExperimentRuntime,
  ExperimentStore,
  type Governance,
  type Shard,
} from "@mlops/experiments";
import { createRedisRateLimiter, createRedisResponseCache, type EndpointRegistry } from "@mlops/llm";
import type { MlflowClient } from "@mlops/mlflow";
import { connectRedis, type ExperimentRegistration, getJobDefinition } from "@mlops/queue";
import type { ModelRegistry } from "@mlops/registry";
import { FlowProducer } from "bullmq";

/** What experiment jobs need beyond the database: endpoints, shared limits and cache, and the flow producer. */
export interface ExperimentJobServices {
  runtime: ExperimentRuntime;
  governance: Partial<Governance>;
  /** Where finished experiments are logged (parent + child runs); absent: results stay in the app database. */
  mlflow?: MlflowClient | undefined;
  /** Registers the models of a finished experiment (`registration.model`); absent: nothing is registered. */
  modelRegistry?: ModelRegistry | undefined;
  /** Where promotion approvals are requested when a challenger appears. */
  approvals?: ApprovalService | undefined;
  /** Adds an experiment's flow: a finalize job whose children are the shard jobs. Idempotent by job id. */
  addFlow(
    experimentId: string,
    shards: readonly Shard[],
    modelOrder: readonly string[],
    registration?: ExperimentRegistration,
  ): Promise<void>;
  close(): Promise<void>;
}

export interface ExperimentJobServicesOptions {
  db: AppDatabase;
  redisUrl: string;
  /** BullMQ prefix; limiter and cache keys live under it too. */
  prefix: string;
  registry: EndpointRegistry;
  governance?: Partial<Governance>;
  logger: Logger;
  workerId?: string;
  /** Share LLM answers across workers and runs (a retried shard pays nothing twice). @defaultValue true */
  cache?: boolean;
  /** The tracking server experiments are logged to. @defaultValue none: results stay in the app database */
  mlflow?: MlflowClient;
  /** The model registry finished experiments register into. @defaultValue none */
  modelRegistry?: ModelRegistry;
  /** Approval requests for promotions of new challengers. @defaultValue none */
  approvals?: ApprovalService;
}

/** Shard job id: no `:` (BullMQ refuses it), stable so a re-added flow adds nothing twice. */
export function shardJobId(experimentId: string, modelIndex: number, from: number): string {
  return `${experimentId}-m${modelIndex}-i${from}`;
}

export function createExperimentJobServices(options: ExperimentJobServicesOptions): ExperimentJobServices {
  const redis = connectRedis(options.redisUrl);
  redis.on("error", () => {});
  const flowConnection = connectRedis(options.redisUrl);
  flowConnection.on("error", () => {});
  const flows = new FlowProducer({ connection: flowConnection, prefix: options.prefix });
  const runtime = createExperimentRuntime({
    store: new ExperimentStore(options.db),
    registry: options.registry,
    rateLimiter: createRedisRateLimiter({ redis, prefix: `${options.prefix}:llm:rate:` }),
    cache:
      options.cache === false ? false : createRedisResponseCache({ redis, prefix: `${options.prefix}:llm:cache:` }),
    logger: options.logger,
    ...(options.workerId ? { workerId: options.workerId } : {}),
  });
  return {
    runtime,
    governance: options.governance ?? {},
    mlflow: options.mlflow,
    modelRegistry: options.modelRegistry,
    approvals: options.approvals,
    async addFlow(experimentId, shards, modelOrder, registration) {
      const shardDef = getJobDefinition("experiment.shard");
      const finalizeDef = getJobDefinition("experiment.finalize");
      const retention = {
        removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      };
      await flows.add({
        name: finalizeDef.name,
        queueName: finalizeDef.queue,
        data: { experimentId, ...(registration ? { registration } : {}) },
        opts: {
          jobId: `${experimentId}-finalize`,
          attempts: finalizeDef.attempts,
          backoff: { type: "exponential", delay: finalizeDef.backoffMs },
          ...retention,
        },
        children: shards.map((shard) => ({
          name: shardDef.name,
          queueName: shardDef.queue,
          data: { experimentId, model: shard.model, from: shard.from, to: shard.to },
          opts: {
            jobId: shardJobId(experimentId, modelOrder.indexOf(shard.model), shard.from),
            attempts: shardDef.attempts,
            backoff: { type: "exponential", delay: shardDef.backoffMs },
            // A shard that fails for good must not hold the report back: finalize scores what was stored.
            ignoreDependencyOnFailure: true,
            ...retention,
          },
        })),
      });
    },
    async close() {
      await flows.close();
      flowConnection.disconnect();
      redis.disconnect();
    },
  };
}
