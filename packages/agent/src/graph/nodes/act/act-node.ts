import { createHash } from "node:crypto";
import { ToolMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { type ApprovalService, actionDigest, createApprovalGuard } from "@mlops/approvals";
import type { AppDatabase } from "@mlops/db";
import type { PlanStep } from "../../../plan/plan";
import { wrapData } from "../../../plan/wrap-data";
import { type ArchitectTool, failure, isOutcome, type ToolOutcome } from "../../../tools/architect-tool";
import type { Toolbox } from "../../../tools/toolbox";
import { emit } from "../../emit";
import type { ArchitectStateType, ArchitectUpdate, StepResult } from "../../state";

export interface ActNodeOptions {
  toolbox: Toolbox;
  approvals?: ApprovalService | undefined;
  /** The app database, where approvals are consumed. */
  db: AppDatabase;
}

/** A job id that is the same every time this step of this plan runs, so enqueueing is idempotent. */
export function stepJobId(threadId: string, planDigest: string, stepId: string): string {
  return `job_agent_${createHash("sha256").update(`${threadId}\n${planDigest}\n${stepId}`).digest("hex").slice(0, 26)}`;
}

/** The tool result as the model reads it: always wrapped as data. */
export function toolMessage(step: Pick<PlanStep, "id" | "tool">, summary: string): ToolMessage {
  return new ToolMessage({ tool_call_id: step.id, name: step.tool, content: wrapData(`tool:${step.tool}`, summary) });
}

/**
 * Runs the plan's steps in order: read tools inline, long tools as jobs (waited for in `wait_for_jobs`), gated
 * tools only when their approval is approved, executing through a guard that consumes exactly that approval.
 */
export function createActNode(options: ActNodeOptions) {
  const { toolbox } = options;
  return async (state: ArchitectStateType, config?: LangGraphRunnableConfig): Promise<ArchitectUpdate> => {
    const plan = state.currentPlan!;
    const results: Record<string, StepResult> = { ...state.results };
    const messages: ToolMessage[] = [];
    const queue = (step: PlanStep, jobId: string) => {
      results[step.id] = {
        stepId: step.id,
        tool: step.tool,
        description: step.description,
        status: "queued",
        summary: `queued as job ${jobId}`,
        jobId,
      };
      emit(config, {
        type: "progress",
        stepId: step.id,
        tool: step.tool,
        jobId,
        status: "queued",
        progress: null,
        attempts: 0,
      });
    };
    for (const step of plan.steps) {
      const existing = results[step.id];
      if (existing) {
        if (existing.status !== "queued") messages.push(toolMessage(step, existing.summary));
        continue;
      }
      const finish = (status: StepResult["status"], outcome: ToolOutcome) => {
        results[step.id] = {
          stepId: step.id,
          tool: step.tool,
          description: step.description,
          status,
          summary: outcome.summary,
          data: outcome.data,
        };
        messages.push(toolMessage(step, outcome.summary));
        emit(config, {
          type: "tool_end",
          stepId: step.id,
          tool: step.tool,
          ok: outcome.ok,
          status,
          summary: outcome.summary,
          data: outcome.data,
        });
      };
      const tool: ArchitectTool | undefined = toolbox.tools.get(step.tool);
      if (!tool) {
        finish("unavailable", { ok: false, summary: `Cannot run ${step.tool}: ${toolbox.unavailable(step.tool)}.` });
        continue;
      }
      const parsed = tool.schema.safeParse(step.args);
      if (!parsed.success) {
        finish("failed", {
          ok: false,
          summary: `Invalid arguments for ${step.tool}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        });
        continue;
      }
      emit(config, { type: "tool_start", stepId: step.id, tool: step.tool, args: step.args, effect: tool.effect });
      if (tool.effect === "read") {
        const outcome = await tool.run(parsed.data);
        finish(outcome.ok ? "done" : "failed", outcome);
      } else if (tool.effect === "job") {
        const jobId = stepJobId(state.threadId, plan.digest, step.id);
        const queued = await tool.enqueue(parsed.data, { jobId, threadId: state.threadId, requestedBy: state.user });
        if (isOutcome(queued)) {
          finish("failed", queued);
          continue;
        }
        queue(step, queued.jobId);
      } else {
        const stepApprovals = Object.values(state.approvals).filter((a) => a.stepId === step.id);
        const ungated = state.ungated.includes(step.id);
        if ((!ungated && stepApprovals.length === 0) || !options.approvals) {
          finish("rejected", { ok: false, summary: `Not run: ${step.tool} needs an approval that was never granted.` });
          continue;
        }
        const refused = stepApprovals.find((a) => a.state !== "approved");
        if (refused) {
          const who = refused.decidedBy.length > 0 ? ` (${refused.decidedBy.join(", ")})` : "";
          finish("rejected", {
            ok: false,
            summary: `Not run: the approval ${refused.approvalId} is ${refused.state}${who}. ${refused.summary}`,
          });
          continue;
        }
        const guard = createApprovalGuard({
          db: options.db,
          actor: `agent:${state.threadId}`,
          channel: "agent",
          config: options.approvals.config,
          approvalIdFor: (action) =>
            (stepApprovals.find((a) => a.actionDigest === actionDigest(action)) ?? stepApprovals[0])?.approvalId,
        });
        const approved = stepApprovals.map((a) => ({
          action: a.action,
          risk: a.risk,
          summary: a.summary,
          approvalId: a.approvalId,
        }));
        const jobId = stepJobId(state.threadId, plan.digest, step.id);
        let executed: ToolOutcome | { jobId: string };
        try {
          executed = await tool.execute(parsed.data, approved[0], guard, {
            jobId,
            threadId: state.threadId,
            requestedBy: state.user,
            approved,
          });
        } catch (error) {
          executed = failure(error);
        }
        if (isOutcome(executed)) {
          finish(executed.ok ? "done" : "failed", executed);
          continue;
        }
        queue(step, executed.jobId);
      }
    }
    return { results, messages };
  };
}

/** Wait for queued jobs; otherwise plan again with the results. */
export function routeAfterAct(state: ArchitectStateType): "wait_for_jobs" | "plan" {
  return Object.values(state.results).some((r) => r.status === "queued") ? "wait_for_jobs" : "plan";
}
