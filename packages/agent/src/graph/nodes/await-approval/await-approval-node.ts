import { interrupt, type LangGraphRunnableConfig } from "@langchain/langgraph";
import type { ApprovalService } from "@mlops/approvals";
import { formatError } from "@mlops/core";
import type { ApprovalInterrupt } from "../../../chat/chat-events";
import type { ArchitectStateType, ArchitectUpdate, StepApproval } from "../../state";
import { approvalMessage } from "./await-approval-prompt";
import { type ResumeDecision, resumeDecisionSchema } from "./resume-decision";

/**
 * Stops the graph (`interrupt`) until a person decides the pending approvals, records the decision through the
 * approvals service (which enforces who may approve, never the requester, and how many must), and re-reads each
 * request. Nothing before the interrupt has side effects, so re-running the node on resume is safe.
 */
export function createAwaitApprovalNode(approvals: ApprovalService | undefined) {
  return async (state: ArchitectStateType, _config?: LangGraphRunnableConfig): Promise<ArchitectUpdate> => {
    const pendingEntries = Object.entries(state.approvals).filter(([, a]) => a.state === "pending");
    const pending = pendingEntries.map(([, a]) => a);
    const payload: ApprovalInterrupt = {
      kind: "approval",
      threadId: state.threadId,
      planDigest: state.currentPlan?.digest ?? "",
      approvals: pending.map((a) => ({
        stepId: a.stepId,
        tool: a.tool,
        approvalId: a.approvalId,
        actionDigest: a.actionDigest,
        action: a.action,
        risk: a.risk,
        summary: a.summary,
        state: a.state,
        approvals: a.approvals,
        requiredApprovals: a.requiredApprovals,
        note: a.note,
      })),
      message: approvalMessage(pending),
    };
    const answer = interrupt<ApprovalInterrupt, unknown>(payload);
    const parsed = resumeDecisionSchema.safeParse(answer);
    const updated: Record<string, StepApproval> = { ...state.approvals };
    for (const [key, approval] of pendingEntries) {
      let note: string | undefined;
      if (!parsed.success) note = `Unreadable decision: ${parsed.error.issues.map((i) => i.message).join("; ")}`;
      else if (approvals) note = await decide(approvals, approval, parsed.data);
      const current = approvals ? await approvals.get(approval.approvalId) : undefined;
      updated[key] = {
        ...approval,
        ...(current
          ? {
              state: current.state,
              approvals: current.approvals,
              decidedBy: current.decisions.map((d) => `${d.approver} (${d.decision})`),
            }
          : {}),
        note,
      };
    }
    return { approvals: updated };
  };
}

async function decide(
  approvals: ApprovalService,
  approval: StepApproval,
  decision: ResumeDecision,
): Promise<string | undefined> {
  if (decision.decision === "check") return undefined;
  try {
    await approvals.decide({
      id: approval.approvalId,
      approver: decision.approver,
      channel: decision.channel,
      decision: decision.decision,
      reason: decision.reason ?? (decision.decision === "reject" ? "rejected in chat" : undefined),
    });
    return undefined;
  } catch (error) {
    return `${decision.approver}'s decision did not count: ${formatError(error)}`;
  }
}

/** Ask again while any approval is still pending (more approvers needed, or a decision did not count). */
export function routeAfterAwaitApproval(state: ArchitectStateType): "await_approval" | "act" {
  return Object.values(state.approvals).some((a) => a.state === "pending") ? "await_approval" : "act";
}
