import type { StepApproval } from "../../state";

/** What the person reads when the plan stops for approval. */
export function approvalMessage(pending: StepApproval[]): string {
  const lines = pending.map(
    (a) =>
      `  - ${a.summary} [approval ${a.approvalId}, ${a.approvals}/${a.requiredApprovals} approvals, digest ${a.actionDigest.slice(0, 12)}…]` +
      (a.note ? `\n    ${a.note}` : ""),
  );
  return [
    `Waiting for approval before running ${pending.length === 1 ? "this step" : "these steps"}:`,
    ...lines,
    "Approve or reject here (or with `mlops approvals approve|reject <id>`, Slack, the console), then resume.",
  ].join("\n");
}
