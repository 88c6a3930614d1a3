import type { AppDatabase } from "@mlops/db";
import type { Lakehouse } from "@mlops/lakehouse";
import type { EndpointRegistry } from "@mlops/llm";
import type { JobProducer } from "@mlops/queue";
import type { ModelRegistry } from "@mlops/registry";
import type { ArchitectTool } from "./architect-tool";
import { createCheckSqlTool } from "./check-sql";
import { createCompareModelsTool } from "./compare-models";
import { createDescribeTableTool } from "./describe-table";
import { createDropTableTool } from "./drop-table";
import { createListTablesTool } from "./list-tables";
import { createPlanPipelineTool } from "./plan-pipeline";
import { createPromoteChallengerTool } from "./promote-challenger";
import { createRegistryStatusTool } from "./registry-status";
import { createRollbackChampionTool } from "./rollback-champion";
import { createRunEchoJobTool } from "./run-echo-job";
import { createRunMonitorTool } from "./run-monitor";
import { createRunPipelineTool } from "./run-pipeline";
import { createRunSqlTool } from "./run-sql";
import { createSearchRunsTool } from "./search-runs";

/** The configured lakehouse, opened on first use: a DuckDB file admits one process, so nothing opens it early. */
export type LakehouseProvider = () => Promise<Lakehouse>;

/** The services tools are made from; a tool whose service is absent is listed as unavailable, with the reason. */
export interface ToolServices {
  /** The app database (experiments, monitors). */
  db?: AppDatabase | undefined;
  lakehouse?: LakehouseProvider | undefined;
  jobs?: JobProducer | undefined;
  endpoints?: EndpointRegistry | undefined;
  /** The model registry over MLflow tracking. */
  registry?: ModelRegistry | undefined;
  /** Relative dataset and pipeline spec paths are resolved against it. */
  cwd?: string | undefined;
  /** Extra tools (tests, plugins). */
  extraTools?: ArchitectTool[] | undefined;
}

export interface Toolbox {
  tools: Map<string, ArchitectTool>;
  /** Why a known tool is not available here. */
  unavailable(name: string): string | undefined;
}

/** Every tool the architect can use with the given services. */
export function createToolbox(services: ToolServices): Toolbox {
  const list: ArchitectTool[] = [createCheckSqlTool()];
  const missing: Record<string, string> = {};
  const lack = (names: string[], reason: string) => {
    for (const name of names) missing[name] = reason;
  };
  const { lakehouse, jobs, db, endpoints, registry } = services;
  const cwd = services.cwd ? { cwd: services.cwd } : {};
  if (lakehouse) {
    list.push(
      createListTablesTool({ lakehouse }),
      createDescribeTableTool({ lakehouse }),
      createRunSqlTool({ lakehouse }),
      createDropTableTool({ lakehouse }) as ArchitectTool,
      createPlanPipelineTool({ lakehouse, ...cwd }),
    );
    if (jobs) list.push(createRunPipelineTool({ lakehouse, jobs, ...cwd }) as ArchitectTool);
    else lack(["run_pipeline"], "no job queue is configured for the agent");
    if (db) list.push(createRunMonitorTool({ db, lakehouse }));
    else lack(["run_monitor"], "no app database is configured for the agent's tools");
  } else {
    lack(
      ["list_tables", "describe_table", "run_sql", "drop_table", "plan_pipeline", "run_pipeline", "run_monitor"],
      "no lakehouse is configured for the agent",
    );
  }
  if (jobs) list.push(createRunEchoJobTool({ jobs }) as ArchitectTool);
  else lack(["run_echo_job"], "no job queue is configured for the agent");
  if (jobs && db && endpoints) list.push(createCompareModelsTool({ db, jobs, endpoints, ...cwd }) as ArchitectTool);
  else lack(["compare_models"], "comparing models needs the job queue, the app database and the endpoint registry");
  if (registry) {
    list.push(
      createRegistryStatusTool({ registry }),
      createSearchRunsTool({ registry }),
      createPromoteChallengerTool({ registry }) as ArchitectTool,
      createRollbackChampionTool({ registry }) as ArchitectTool,
    );
  } else {
    lack(
      ["registry_status", "search_runs", "promote_challenger", "rollback_champion"],
      "no model registry (MLflow tracking) is configured for the agent",
    );
  }
  for (const tool of services.extraTools ?? []) {
    list.push(tool);
    delete missing[tool.name];
  }
  const tools = new Map(list.map((t) => [t.name, t]));
  return { tools, unavailable: (name) => (tools.has(name) ? undefined : (missing[name] ?? `unknown tool "${name}"`)) };
}
