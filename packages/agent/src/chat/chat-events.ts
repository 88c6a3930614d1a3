import type { ActionSpec, ApprovalState, RiskSummary } from "@mlops/approvals";
import type { PlanStep, ToolEffect } from "../plan/plan";

/** One approval a plan waits for, as the person sees it. */
export interface PendingApproval {
  stepId: string;
  tool: string;
  approvalId: string;
  /** SHA-256 of the action's canonical JSON: what is approved. */
  actionDigest: string;
  action: ActionSpec;
  risk: RiskSummary;
  summary: string;
  state: ApprovalState;
  approvals: number;
  requiredApprovals: number;
  /** Why the last decision did not count (not an allowed approver, already decided…). */
  note?: string | undefined;
}

/** What the graph waits for when it stops: a person's decision on the approvals of a plan. */
export interface ApprovalInterrupt {
  kind: "approval";
  threadId: string;
  planDigest: string;
  approvals: PendingApproval[];
  /** Says what is waiting and how to decide. */
  message: string;
}

/** Events of one run, streamed to HTTP (SSE), the CLI and Slack in this order. */
export type ChatEvent =
  | { type: "plan"; threadId: string; planner: string; digest: string; round: number; steps: PlanStepView[] }
  | { type: "tool_start"; stepId: string; tool: string; args: Record<string, unknown>; effect: ToolEffect }
  | { type: "tool_end"; stepId: string; tool: string; ok: boolean; status: StepStatus; summary: string; data?: unknown }
  | {
      type: "progress";
      stepId: string;
      tool: string;
      jobId: string;
      status: string;
      progress: unknown;
      attempts: number;
    }
  | ({ type: "interrupt" } & ApprovalInterrupt)
  | { type: "message"; text: string; planner: string }
  | { type: "done"; threadId: string; status: "completed" | "interrupted" }
  | { type: "error"; code: string; message: string; hint?: string };

export type PlanStepView = Pick<PlanStep, "id" | "tool" | "args" | "effect" | "description"> & { available: boolean };

export type StepStatus = "done" | "failed" | "queued" | "rejected" | "unavailable";
