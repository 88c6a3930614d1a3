import type { BaseMessage } from "@langchain/core/messages";
import { Annotation, messagesStateReducer } from "@langchain/langgraph";
import type { ActionSpec, ApprovalState, RiskSummary } from "@mlops/approvals";
import type { StepStatus } from "../chat/chat-events";
import type { Plan } from "../plan/plan";

/** A gated step's approval request and where it stands. */
export interface StepApproval {
  stepId: string;
  tool: string;
  approvalId: string;
  action: ActionSpec;
  actionDigest: string;
  risk: RiskSummary;
  summary: string;
  state: ApprovalState;
  approvals: number;
  requiredApprovals: number;
  decidedBy: string[];
  note?: string | undefined;
}

/** What happened to one step of a plan. */
export interface StepResult {
  stepId: string;
  tool: string;
  description: string;
  status: StepStatus;
  summary: string;
  data?: unknown;
  jobId?: string | undefined;
}

const lastValue = <T>(initial: () => T) => Annotation<T>({ reducer: (_old: T, next: T) => next, default: initial });

/** The architect's state, checkpointed after every node. Per-request fields are reset by each new message. */
export const ArchitectState = Annotation.Root({
  messages: Annotation<BaseMessage[]>({ reducer: messagesStateReducer, default: () => [] }),
  threadId: lastValue<string>(() => ""),
  /** The person's latest request. */
  request: lastValue<string>(() => ""),
  user: lastValue<string>(() => "unknown"),
  channel: lastValue<string>(() => "api"),
  /** Planning rounds so far for this request. */
  round: lastValue<number>(() => 0),
  currentPlan: lastValue<Plan | null>(() => null),
  /** By step id (`step#2`, … for a step's further actions). */
  approvals: lastValue<Record<string, StepApproval>>(() => ({})),
  /** Gated steps whose input turned out to need no approval (a pipeline run that overwrites nothing). */
  ungated: lastValue<string[]>(() => []),
  /** By step id, for every round of this request. */
  results: lastValue<Record<string, StepResult>>(() => ({})),
  finalReport: lastValue<string | null>(() => null),
});

export type ArchitectStateType = typeof ArchitectState.State;
export type ArchitectUpdate = typeof ArchitectState.Update;
