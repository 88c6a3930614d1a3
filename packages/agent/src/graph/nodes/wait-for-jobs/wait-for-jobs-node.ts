import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { formatError } from "@mlops/core";
import type { JobProducer } from "@mlops/queue";
import type { GatedTool, JobTool, ToolOutcome } from "../../../tools/architect-tool";
import type { Toolbox } from "../../../tools/toolbox";
import { emit } from "../../emit";
import type { ArchitectStateType, ArchitectUpdate, StepResult } from "../../state";
import { toolMessage } from "../act/act-node";

export interface WaitForJobsNodeOptions {
  toolbox: Toolbox;
  jobs?: JobProducer | undefined;
  /** How long to wait for one job before reporting that it goes on in the background. */
  timeoutMs: number;
}

/** Waits for the plan's queued jobs, streaming their progress, and reads each result. Reading only: safe to re-run. */
export function createWaitForJobsNode(options: WaitForJobsNodeOptions) {
  return async (state: ArchitectStateType, config?: LangGraphRunnableConfig): Promise<ArchitectUpdate> => {
    const results: Record<string, StepResult> = { ...state.results };
    const queued = Object.values(results).filter((r) => r.status === "queued" && r.jobId);
    const messages = [];
    for (const result of queued) {
      const jobId = result.jobId!;
      let outcome: ToolOutcome;
      try {
        if (!options.jobs) throw new Error("no job queue is configured for the agent");
        const record = await options.jobs.waitFor(jobId, {
          timeoutMs: options.timeoutMs,
          onProgress: (r) =>
            emit(config, {
              type: "progress",
              stepId: result.stepId,
              tool: result.tool,
              jobId,
              status: r.status,
              progress: r.progress,
              attempts: r.attempts,
            }),
        });
        const tool = options.toolbox.tools.get(result.tool) as JobTool | GatedTool | undefined;
        if (!tool?.outcome) throw new Error(`the tool ${result.tool} cannot read its job's result`);
        outcome = await tool.outcome(record, (progress) =>
          emit(config, {
            type: "progress",
            stepId: result.stepId,
            tool: result.tool,
            jobId,
            status: record.status,
            progress,
            attempts: record.attempts,
          }),
        );
      } catch (error) {
        outcome = { ok: false, summary: `Job ${jobId}: ${formatError(error)}` };
      }
      const status = outcome.ok ? "done" : "failed";
      results[result.stepId] = { ...result, status, summary: outcome.summary, data: outcome.data };
      messages.push(toolMessage({ id: result.stepId, tool: result.tool }, outcome.summary));
      emit(config, {
        type: "tool_end",
        stepId: result.stepId,
        tool: result.tool,
        ok: outcome.ok,
        status,
        summary: outcome.summary,
        data: outcome.data,
      });
    }
    return { results, messages };
  };
}
