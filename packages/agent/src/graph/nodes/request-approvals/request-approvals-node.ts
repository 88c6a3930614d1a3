import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { type ActionSpec, type ApprovalService, actionDigest } from "@mlops/approvals";
import { formatError } from "@mlops/core";
import { type GatedTool, isOutcome } from "../../../tools/architect-tool";
import type { Toolbox } from "../../../tools/toolbox";
import { emit } from "../../emit";
import type { ArchitectStateType, ArchitectUpdate, StepApproval, StepResult } from "../../state";

/** Who requests approvals the agent needs: the agent, on behalf of the person named in the reason. */
export const AGENT_REQUESTER = "architect-agent";

export interface RequestApprovalsNodeOptions {
  toolbox: Toolbox;
  /** Absent: gated steps cannot run (fail closed) and say so. */
  approvals?: ApprovalService | undefined;
}

/**
 * Proposes each gated step of the plan as an exact action (tied to the plan digest and thread through its
 * parameters) and records an approval request for it. No interrupt here: this node finishes (and is checkpointed)
 * before `await_approval` stops, so the requests are made once.
 */
export function createRequestApprovalsNode(options: RequestApprovalsNodeOptions) {
  return async (state: ArchitectStateType, config?: LangGraphRunnableConfig): Promise<ArchitectUpdate> => {
    const plan = state.currentPlan!;
    const approvals: Record<string, StepApproval> = { ...state.approvals };
    const results: Record<string, StepResult> = { ...state.results };
    const ungated = [...state.ungated];
    for (const step of plan.steps) {
      const tool = options.toolbox.tools.get(step.tool);
      if (tool?.effect !== "gated" || approvals[step.id] || ungated.includes(step.id)) continue;
      const fail = (summary: string) => {
        results[step.id] = {
          stepId: step.id,
          tool: step.tool,
          description: step.description,
          status: "failed",
          summary,
        };
        emit(config, { type: "tool_end", stepId: step.id, tool: step.tool, ok: false, status: "failed", summary });
      };
      const parsed = tool.schema.safeParse(step.args);
      if (!parsed.success) {
        fail(`Invalid arguments for ${step.tool}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
        continue;
      }
      if (!options.approvals) {
        fail(`Not run: ${step.tool} needs a person's approval and no approval service is configured.`);
        continue;
      }
      const proposed = await (tool as GatedTool).propose(parsed.data);
      if (isOutcome(proposed)) {
        fail(proposed.summary);
        continue;
      }
      const proposals = Array.isArray(proposed) ? proposed : [proposed];
      if (proposals.length === 0) {
        ungated.push(step.id);
        continue;
      }
      for (const [index, proposal] of proposals.entries()) {
        const action: ActionSpec = proposal.exact
          ? proposal.action
          : {
              ...proposal.action,
              parameters: { ...proposal.action.parameters, planDigest: plan.digest, threadId: state.threadId },
            };
        try {
          const request = await options.approvals.request({
            action,
            reason: `${state.user} asked in chat thread ${state.threadId} (${state.channel}): "${state.request.slice(0, 500)}"`,
            risk: proposal.risk,
            requestedBy: AGENT_REQUESTER,
            channel: "agent",
          });
          approvals[approvalKey(step.id, index)] = {
            stepId: step.id,
            tool: step.tool,
            approvalId: request.id,
            action,
            actionDigest: actionDigest(action),
            risk: proposal.risk,
            summary: proposal.summary,
            state: request.state,
            approvals: request.approvals,
            requiredApprovals: request.requiredApprovals,
            decidedBy: [],
          };
        } catch (error) {
          fail(`Could not ask for approval: ${formatError(error)}`);
          break;
        }
      }
    }
    return { approvals, results, ungated };
  };
}

/** Where a step's approvals are kept in the state: the step id, then `step#2`, `step#3`… for further actions. */
export function approvalKey(stepId: string, index: number): string {
  return index === 0 ? stepId : `${stepId}#${index + 1}`;
}

/** Wait for decisions when any request is pending. */
export function routeAfterRequestApprovals(state: ArchitectStateType): "await_approval" | "act" {
  return Object.values(state.approvals).some((a) => a.state === "pending") ? "await_approval" : "act";
}
