import type { ApprovalRequest } from "@mlops/approvals";

export const APPROVE_ACTION_ID = "approval.approve";
export const REJECT_ACTION_ID = "approval.reject";

const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
/** Slack's section text limit is 3000 characters; long SQL is cut with a note (the digest covers all of it). */
const clip = (text: string, max = 2800) =>
  text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function whatChanges(request: ApprovalRequest): { type: string; text: { type: string; text: string } } {
  const { action } = request;
  if (action.sql)
    return { type: "section", text: mrkdwn(`*SQL that will run*\n\`\`\`${clip(escapeText(action.sql))}\`\`\``) };
  if (action.change) {
    const c = action.change;
    const from = c.fromVersion ? `version ${c.fromVersion}` : "no version";
    const line = c.alias ? `\`${c.alias}\`: ${from} → *version ${c.version}*` : `version *${c.version}*`;
    return { type: "section", text: mrkdwn(`*Model change* on \`${escapeText(c.model)}\`\n${line}`) };
  }
  return {
    type: "section",
    text: mrkdwn(`*Parameters*\n\`\`\`${clip(escapeText(JSON.stringify(action.parameters ?? {})))}\`\`\``),
  };
}

function outcomeLine(request: ApprovalRequest): string {
  const decisions = request.decisions
    .map(
      (d) =>
        `${d.decision === "approve" ? "✅ approved" : "❌ rejected"} by *${escapeText(d.approver)}* via ${d.channel}${d.reason ? ` — ${escapeText(d.reason)}` : ""}`,
    )
    .join("\n");
  const state =
    request.state === "approved"
      ? "*Approved* — ready to run once"
      : request.state === "rejected"
        ? "*Rejected*"
        : request.state === "used"
          ? "*Executed*"
          : request.state === "expired"
            ? "*Expired*"
            : `*Waiting* — ${request.approvals} of ${request.requiredApprovals} approvals`;
  return decisions ? `${state}\n${decisions}` : state;
}

/** The Block Kit message for a request: what will happen, the risk, the SQL or model change, and the buttons while it is pending. */
export function approvalMessage(request: ApprovalRequest): { text: string; blocks: unknown[] } {
  const { action, risk } = request;
  const affected = [
    risk.rowsAffected !== undefined ? `${risk.rowsAffected.toLocaleString("en-US")} rows` : undefined,
    risk.versionsAffected?.length ? `versions ${risk.versionsAffected.join(", ")}` : undefined,
  ].filter(Boolean);
  const blocks: unknown[] = [
    { type: "header", text: { type: "plain_text", text: `Approval needed: ${action.kind}`.slice(0, 150) } },
    {
      type: "section",
      text: mrkdwn(
        `*${escapeText(request.requestedBy)}* asks to run \`${action.kind}\` on \`${escapeText(action.target)}\`\n>${escapeText(request.reason)}`,
      ),
    },
    {
      type: "section",
      fields: [
        mrkdwn(`*What changes*\n${escapeText(risk.summary)}`),
        mrkdwn(`*Affected*\n${affected.join(", ") || "not estimated"}`),
        mrkdwn(`*Undo*\n${risk.reversible ? escapeText(risk.undo ?? "reversible") : ":warning: cannot be undone"}`),
        mrkdwn(
          `*Needs*\n${request.requiredApprovals} approval(s) from ${request.policy.approvers.map(escapeText).join(", ") || "nobody"}`,
        ),
      ],
    },
    whatChanges(request),
    {
      type: "context",
      elements: [
        mrkdwn(`\`${request.id}\` · digest \`${request.digest.slice(0, 16)}…\` · expires ${request.expiresAt}`),
      ],
    },
    { type: "section", text: mrkdwn(outcomeLine(request)) },
  ];
  if (request.state === "pending") {
    blocks.push({
      type: "actions",
      block_id: `approval:${request.id}`,
      elements: [
        {
          type: "button",
          action_id: APPROVE_ACTION_ID,
          style: "primary",
          value: request.id,
          text: { type: "plain_text", text: "Approve" },
        },
        {
          type: "button",
          action_id: REJECT_ACTION_ID,
          style: "danger",
          value: request.id,
          text: { type: "plain_text", text: "Reject" },
        },
      ],
    });
  }
  const verb = request.state === "pending" ? "Approval needed" : `Approval ${request.state}`;
  return { text: `${verb}: ${action.kind} on ${action.target} (${request.id})`, blocks };
}
