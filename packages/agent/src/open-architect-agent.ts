import { type ApprovalService, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { type AppConfig, type Logger, silentLogger } from "@mlops/core";
import type { Database } from "@mlops/db";
import { endpointRegistryFromConfig } from "@mlops/experiments";
import type { EndpointRegistry } from "@mlops/llm";
import type { JobProducer } from "@mlops/queue";
import type { ModelRegistry } from "@mlops/registry";
import { type ArchitectAgent, createArchitectAgent } from "./chat/architect-agent";
import { createCheckpointer } from "./checkpointer/create-checkpointer";
import { resolvePlanner } from "./planner/resolve-planner";
import type { ArchitectTool } from "./tools/architect-tool";
import { createToolbox, type LakehouseProvider } from "./tools/toolbox";

export interface OpenArchitectAgentOptions {
  config: AppConfig;
  database: Database;
  jobs: JobProducer;
  logger?: Logger;
  /**
   * The configured lakehouse, opened on first use (`stack.lakehouse`): the agent never opens one itself, so a
   * process that never needs a lakehouse tool never locks the DuckDB file. Absent: lakehouse tools are unavailable.
   */
  lakehouse?: LakehouseProvider;
  /** The approvals service the approvals routes and Slack use; made from the `approvals:` section when omitted. */
  approvals?: ApprovalService;
  /** The model registry (`createModelRegistry` over `stack.tracking.client`); absent: registry tools are unavailable. */
  registry?: ModelRegistry;
  /** Relative dataset and pipeline spec paths are resolved against it. */
  cwd?: string;
  extraTools?: ArchitectTool[];
}

export interface OpenedArchitectAgent {
  agent: ArchitectAgent;
  endpoints: EndpointRegistry;
  approvals: ApprovalService;
  close(): Promise<void>;
}

/**
 * Wires the architect from the app configuration and the stack's services: endpoint registry (the `agent.planner`
 * endpoint picks the planner model; the same registry the experiment jobs use), approvals, the model registry,
 * the lazy lakehouse and the checkpointer in the app database. For main.ts.
 */
export async function openArchitectAgent(options: OpenArchitectAgentOptions): Promise<OpenedArchitectAgent> {
  const { config, database } = options;
  const logger = options.logger ?? silentLogger();
  const endpoints = endpointRegistryFromConfig(config);
  const approvals =
    options.approvals ??
    createApprovalService({ db: database.db, config: parseApprovalConfig(config.sections.approvals), logger });
  const toolbox = createToolbox({
    db: database.db,
    lakehouse: options.lakehouse,
    jobs: options.jobs,
    endpoints,
    registry: options.registry,
    cwd: options.cwd,
    extraTools: options.extraTools,
  });
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
    approvals,
    // The lakehouse, database and queue belong to the caller's stack; in-flight runs end with the process.
    async close() {},
  };
}
