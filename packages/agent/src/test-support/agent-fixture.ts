import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type ApprovalService, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { silentLogger } from "@mlops/core";
import { type Database, openDatabase } from "@mlops/db/client";
import { type JobProcessing, startJobProcessing } from "@mlops/jobs";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { createEndpointRegistry } from "@mlops/llm";
import { JobProducer } from "@mlops/queue";
import {
  cleanRedisPrefix,
  createTestPostgresDatabase,
  TEST_REDIS_URL,
  type TestDriver,
  type TestPostgresDatabase,
  uniquePrefix,
} from "@mlops/testing";
import { type ArchitectAgent, createArchitectAgent } from "../chat/architect-agent";
import { createCheckpointer } from "../checkpointer/create-checkpointer";
import { createChatModelPlanner } from "../planner/chat-model-planner";
import { createCommandPlanner } from "../planner/command-planner";
import { createToolbox } from "../tools/toolbox";

/**
 * Real services for agent tests: the app database on a driver (reopenable, to simulate an api restart), a DuckDB
 * lakehouse, Redis queues under a unique prefix with a worker, and approvals with two approvers.
 */
export async function openAgentFixture(driver: TestDriver) {
  const home = mkdtempSync(join(tmpdir(), "mlops-agent-"));
  const pg: TestPostgresDatabase | undefined =
    driver === "postgres" ? await createTestPostgresDatabase("agent") : undefined;
  const open = () => (pg ? openDatabase({ url: pg.url }) : openDatabase({ home }));
  let database: Database = await open();
  const lakehouse: Lakehouse = await createLakehouse({ engine: "duckdb", path: join(home, "lakehouse.duckdb") });
  const prefix = uniquePrefix("agent");
  const jobs = new JobProducer({ db: database.db, redisUrl: TEST_REDIS_URL, prefix });
  let worker: JobProcessing = startJobProcessing({
    services: { db: database.db, logger: silentLogger() },
    redisUrl: TEST_REDIS_URL,
    prefix,
    logger: silentLogger(),
  });
  let producer = jobs;
  const approvalConfig = parseApprovalConfig({ approvers: { users: ["ana", "bo"] } });
  const endpoints = createEndpointRegistry({});

  const services = () => {
    const approvals: ApprovalService = createApprovalService({ db: database.db, config: approvalConfig });
    const toolbox = createToolbox({ db: database.db, lakehouse: async () => lakehouse, jobs: producer, endpoints });
    return { approvals, toolbox };
  };

  /** A new agent instance (new graph, new checkpointer) on the current database. */
  async function agent(options: { model?: BaseChatModel; keepCheckpoints?: number } = {}): Promise<ArchitectAgent> {
    const { approvals, toolbox } = services();
    const checkpointer = await createCheckpointer({ sql: database.sql });
    const planner = options.model
      ? createChatModelPlanner({ model: options.model, tools: toolbox.tools.values(), name: "model scripted" })
      : createCommandPlanner();
    return createArchitectAgent({
      database,
      checkpointer,
      planner,
      toolbox,
      jobs: producer,
      approvals,
      keepCheckpoints: options.keepCheckpoints ?? 20,
      jobTimeoutMs: 20_000,
    });
  }

  return {
    lakehouse,
    get database() {
      return database;
    },
    agent,
    approvals: () => services().approvals,
    /** Closes the database, queue and worker as an api shutdown would, and opens them again. */
    async restart() {
      await worker.close(1_000);
      await producer.close();
      await database.close();
      database = await open();
      producer = new JobProducer({ db: database.db, redisUrl: TEST_REDIS_URL, prefix });
      worker = startJobProcessing({
        services: { db: database.db, logger: silentLogger() },
        redisUrl: TEST_REDIS_URL,
        prefix,
        logger: silentLogger(),
      });
    },
    async close() {
      await worker.close(1_000);
      await producer.close();
      await lakehouse.close();
      await database.close();
      await pg?.drop();
      await cleanRedisPrefix(prefix);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export type AgentFixture = Awaited<ReturnType<typeof openAgentFixture>>;
