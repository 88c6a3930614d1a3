import type { ApprovalDecisionRow, ApprovalRequestRow } from "@mlops/db";
import { z } from "zod";
import type { ActionSpec } from "./action-spec";
import type { ApprovalPolicy } from "./approval-policy";

/** What the requester says about the risk: what changes, how much, whether it can be undone. */
export const riskSummarySchema = z.object({
  summary: z.string().min(1).describe("What will change, in one or two sentences"),
  rowsAffected: z.number().int().min(0).optional().describe("Rows the action changes or removes, when known"),
  versionsAffected: z.array(z.string()).optional().describe("Model versions affected"),
  reversible: z.boolean().describe("Whether the change can be undone (time travel, moving an alias back)"),
  undo: z.string().optional().describe("How to undo it, when it can be undone"),
});
export type RiskSummary = z.infer<typeof riskSummarySchema>;

/** Where a request stands. `expired` and `used` are derived from the timestamps. */
export type ApprovalState = "pending" | "approved" | "rejected" | "expired" | "used";

export interface ApprovalDecision {
  id: string;
  approver: string;
  decision: "approve" | "reject";
  channel: string;
  reason: string | null;
  at: string;
}

/** One approval request as the API, CLI and Slack show it. */
export interface ApprovalRequest {
  id: string;
  state: ApprovalState;
  digest: string;
  action: ActionSpec;
  requestedBy: string;
  requestedVia: string;
  reason: string;
  risk: RiskSummary;
  policy: ApprovalPolicy;
  requiredApprovals: number;
  approvals: number;
  decisions: ApprovalDecision[];
  createdAt: string;
  expiresAt: string;
  decidedAt: string | null;
  usedAt: string | null;
  usedBy: string | null;
  slack: { channel: string; ts: string } | null;
}

export function stateOf(row: ApprovalRequestRow, now: Date): ApprovalState {
  if (row.usedAt) return "used";
  if (row.status === "rejected") return "rejected";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return row.status;
}

export function toApprovalRequest(
  row: ApprovalRequestRow,
  decisions: ApprovalDecisionRow[],
  now: Date,
): ApprovalRequest {
  return {
    id: row.id,
    state: stateOf(row, now),
    digest: row.digest,
    action: row.action as ActionSpec,
    requestedBy: row.requestedBy,
    requestedVia: row.requestedVia,
    reason: row.reason,
    risk: row.risk as RiskSummary,
    policy: row.policy as unknown as ApprovalPolicy,
    requiredApprovals: row.requiredApprovals,
    approvals: decisions.filter((d) => d.decision === "approve").length,
    decisions: decisions
      .slice()
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((d) => ({
        id: d.id,
        approver: d.approver,
        decision: d.decision,
        channel: d.channel,
        reason: d.reason,
        at: d.at.toISOString(),
      })),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    usedAt: row.usedAt?.toISOString() ?? null,
    usedBy: row.usedBy ?? null,
    slack: row.slackChannel && row.slackTs ? { channel: row.slackChannel, ts: row.slackTs } : null,
  };
}
