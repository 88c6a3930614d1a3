import { join } from "node:path";
import { type ApprovalService, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { type AppConfig, type Logger, silentLogger } from "@mlops/core";
import type { Database } from "@mlops/db";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { createEndpointRegistry, type EndpointRegistry, endpointsSectionSchema } from "@mlops/llm";
import type { JobProducer } from "@mlops/queue";
import { type ArchitectAgent, createArchitectAgent } from "./chat/architect-agent";
import { createCheckpointer } from "./checkpointer/create-checkpointer";
import { resolvePlanner } from "./planner/resolve-planner";
import type { ArchitectTool } from "./tools/architect-tool";
import { createToolbox } from "./tools/toolbox";

export interface OpenArchitectAgentOptions {
  config: AppConfig;
  database: Database;
  jobs: JobProducer;
  logger?: Logger;
  /** Opened from the config when omitted (DuckDB under MLOPS_HOME, or Databricks SQL); closed by `close()` then. */
  lakehouse?: Lakehouse;
  approvals?: ApprovalService;
  extraTools?: ArchitectTool[];
}

export interface OpenedArchitectAgent {
  agent: ArchitectAgent;
  endpoints: EndpointRegistry;
  close(): Promise<void>;
}

/**
 * Wires the architect from the app configuration: lakehouse, endpoint registry (the `agent.planner` endpoint picks
 * the planner model), approvals (the `approvals:` section) and the checkpointer in the app database. For main.ts.
 */
export async function openArchitectAgent(options: OpenArchitectAgentOptions): Promise<OpenedArchitectAgent> {
  const { config, database } = options;
  const logger = options.logger ?? silentLogger();
  const section = endpointsSectionSchema.parse(config.sections.endpoints ?? {});
  const endpoints = createEndpointRegistry({
    endpoints: section.entries,
    aliases: section.aliases,
    credentials: {
      ...(config.databricksHost ? { databricksHost: config.databricksHost } : {}),
      ...(config.databricksToken ? { databricksToken: config.databricksToken } : {}),
      ...(config.openaiApiKey ? { openaiApiKey: config.openaiApiKey } : {}),
      ...(config.anthropicApiKey ? { anthropicApiKey: config.anthropicApiKey } : {}),
    },
  });
  const ownLakehouse = options.lakehouse === undefined;
  const lakehouse =
    options.lakehouse ??
    (config.lakehouseEngine === "databricks"
      ? await createLakehouse({
          engine: "databricks",
          host: config.databricksHost ?? "",
          token: config.databricksToken ?? "",
          httpPath: config.databricksHttpPath ?? "",
          logger,
        })
      : await createLakehouse({ engine: "duckdb", path: join(config.home, "lakehouse.duckdb"), logger }));
  const approvals =
    options.approvals ??
    createApprovalService({ db: database.db, config: parseApprovalConfig(config.sections.approvals), logger });
  const toolbox = createToolbox({ lakehouse, jobs: options.jobs, endpoints, extraTools: options.extraTools });
  const planner = resolvePlanner({ endpoints, tools: toolbox.tools.values() });
  const checkpointer = await createCheckpointer({ sql: database.sql });
  const agent = createArchitectAgent({
    database,
    checkpointer,
    planner,
    toolbox,
    jobs: options.jobs,
    approvals,
    logger,
  });
  return {
    agent,
    endpoints,
    async close() {
      if (ownLakehouse) await lakehouse.close();
    },
  };
}
