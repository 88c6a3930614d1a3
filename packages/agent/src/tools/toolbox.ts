import type { Lakehouse } from "@mlops/lakehouse";
import type { EndpointRegistry } from "@mlops/llm";
import type { JobProducer } from "@mlops/queue";
import type { ArchitectTool } from "./architect-tool";
import { createCheckSqlTool } from "./check-sql";
import { createCompareModelsTool } from "./compare-models";
import { createDescribeTableTool } from "./describe-table";
import { createDropTableTool } from "./drop-table";
import { createListTablesTool } from "./list-tables";
import { createRunEchoJobTool } from "./run-echo-job";
import { createRunSqlTool } from "./run-sql";

/** The services tools are made from; a tool whose service is absent is listed as unavailable, with the reason. */
export interface ToolServices {
  lakehouse?: Lakehouse | undefined;
  jobs?: JobProducer | undefined;
  endpoints?: EndpointRegistry | undefined;
  /** Extra tools (from packages that landed later, or tests). */
  extraTools?: ArchitectTool[] | undefined;
}

/** Tools the planner knows that need a package or service this deployment lacks: name → what is missing. */
const PENDING_TOOLS: Record<string, string> = {
  promote_challenger: "promoting needs the model registry (@mlops/registry), which is not installed in this build yet",
  registry_status: "the model registry (@mlops/registry) is not installed in this build yet",
  run_pipeline: "pipelines (@mlops/pipelines) are not installed in this build yet",
  run_monitor: "drift monitors (@mlops/monitors) are not installed in this build yet",
};

export interface Toolbox {
  tools: Map<string, ArchitectTool>;
  /** Why a known tool is not available here. */
  unavailable(name: string): string | undefined;
}

/** Every tool the architect can use with the given services. */
export function createToolbox(services: ToolServices): Toolbox {
  const list: ArchitectTool[] = [createCheckSqlTool()];
  const missing: Record<string, string> = { ...PENDING_TOOLS };
  if (services.lakehouse) {
    const lakehouse = services.lakehouse;
    list.push(
      createListTablesTool({ lakehouse }),
      createDescribeTableTool({ lakehouse }),
      createRunSqlTool({ lakehouse }),
      createDropTableTool({ lakehouse }) as ArchitectTool,
    );
  } else {
    for (const name of ["list_tables", "describe_table", "run_sql", "drop_table"]) {
      missing[name] = "no lakehouse is configured for the agent";
    }
  }
  if (services.jobs) list.push(createRunEchoJobTool({ jobs: services.jobs }) as ArchitectTool);
  else missing.run_echo_job = "no job queue is configured for the agent";
  if (services.endpoints) list.push(createCompareModelsTool({ endpoints: services.endpoints }) as ArchitectTool);
  else missing.compare_models = "no LLM endpoint registry is configured for the agent";
  for (const tool of services.extraTools ?? []) {
    list.push(tool);
    delete missing[tool.name];
  }
  const tools = new Map(list.map((t) => [t.name, t]));
  return { tools, unavailable: (name) => (tools.has(name) ? undefined : (missing[name] ?? `unknown tool "${name}"`)) };
}
