import { type ApprovalService, isApprovalError } from "@mlops/approvals";
import { type Clock, formatError, type Logger, silentLogger, systemClock } from "@mlops/core";
import { Hono } from "hono";
import { z } from "zod";
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from "./approval-blocks";
import type { SlackConfig } from "./slack-config";
import type { SlackWebApi } from "./slack-web-api";
import { createMemoryReplayGuard, type ReplayGuard, verifySlackRequest } from "./verify-slack-request";

export interface SlackRoutesDeps {
  approvals: ApprovalService;
  slack: SlackConfig;
  web: SlackWebApi;
  /** @defaultValue an in-process memory of signatures seen in the accepted age window */
  replay?: ReplayGuard;
  /** @defaultValue systemClock */
  clock?: Clock;
  logger?: Logger;
  /** The architect in Slack (mentions, direct messages, `/mlops`); looked up per request, absent: not answered. */
  chat?: () => SlackChatRoutes | undefined;
}

/** What the routes hand chat events and the `/mlops` command to (see slack-chat.ts). */
export interface SlackChatRoutes {
  event(event: unknown): void;
  command(input: { text: string; userId: string; channelId: string | undefined }): { text: string };
}

const blockActionsPayload = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().min(1), username: z.string().optional() }),
  channel: z.object({ id: z.string() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});

const slashCommand = z.object({
  command: z.string(),
  text: z.string().default(""),
  user_id: z.string().min(1),
  channel_id: z.string().optional(),
});

/** What an unverified body claims (user, request), for the audit event of its refusal. Never trusted otherwise. */
function claims(rawBody: string): { actor: string; subject?: string } {
  try {
    const form = new URLSearchParams(rawBody);
    const payload = form.get("payload");
    if (payload) {
      const parsed = JSON.parse(payload) as { user?: { id?: string }; actions?: { value?: string }[] };
      const subject = parsed.actions?.[0]?.value;
      return { actor: `slack:${parsed.user?.id ?? "unknown"}?`, ...(subject ? { subject } : {}) };
    }
    if (form.get("user_id")) return { actor: `slack:${form.get("user_id")}?` };
  } catch {
    // an unreadable body is audited as from nobody in particular
  }
  return { actor: "slack:unverified" };
}

/**
 * `POST /slack/events`: Slack's Events API, interactivity (Approve / Reject buttons) and slash commands
 * (`/approvals list|show|approve|reject`), on one URL. Every request is verified with the signing secret
 * (HMAC-SHA256 over `v0:timestamp:body`, at most five minutes old, never twice); a refused one answers 401 and
 * is audited. Slack users act as the approvers `approvals.slackUsers` maps them to.
 */
export function slackRoutes(deps: SlackRoutesDeps) {
  const { approvals, web } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger();
  const replay = deps.replay ?? createMemoryReplayGuard(deps.slack.maxAgeSeconds * 2 * 1000);

  async function tell(channel: string | undefined, user: string, text: string): Promise<void> {
    if (!channel) return;
    await web
      .postEphemeral({ channel, user, text })
      .catch((error) => logger.warn({ err: error }, "slack ephemeral failed"));
  }

  async function decide(slackUser: string, id: string, decision: "approve" | "reject", reason: string | undefined) {
    const approver = approvals.approverForSlackUser(slackUser);
    if (!approver) {
      const message = `Slack user ${slackUser} is not mapped to an approver (approvals.slackUsers).`;
      await approvals.audit({
        actor: `slack:${slackUser}`,
        channel: "slack",
        action: "approval.decision_refused",
        subject: id,
        outcome: "refused",
        detail: { code: "APPROVAL_NOT_ALLOWED", message, decision },
      });
      return { ok: false as const, error: { code: "APPROVAL_NOT_ALLOWED", message } };
    }
    try {
      const request = await approvals.decide({
        id,
        approver,
        channel: "slack",
        decision,
        reason: decision === "reject" ? (reason ?? `Rejected in Slack by ${approver}`) : reason,
      });
      return { ok: true as const, request };
    } catch (error) {
      if (isApprovalError(error)) return { ok: false as const, error: { code: error.code, message: error.message } };
      throw error;
    }
  }

  return new Hono().post("/slack/events", async (c) => {
    const rawBody = await c.req.text();
    const verification = verifySlackRequest({
      signingSecret: deps.slack.signingSecret,
      timestamp: c.req.header("x-slack-request-timestamp"),
      signature: c.req.header("x-slack-signature"),
      rawBody,
      nowMs: clock.now().getTime(),
      maxAgeSeconds: deps.slack.maxAgeSeconds,
      replay,
    });
    if (!verification.ok) {
      const claimed = claims(rawBody);
      await approvals.audit({
        actor: claimed.actor,
        channel: "slack",
        action: "slack.request_refused",
        subject: claimed.subject,
        outcome: "refused",
        detail: { code: "SLACK_REQUEST_UNVERIFIED", reason: verification.reason },
      });
      return c.json(
        { error: { code: "SLACK_REQUEST_UNVERIFIED", message: `Slack request refused: ${verification.reason}` } },
        401,
      );
    }

    if ((c.req.header("content-type") ?? "").includes("application/json")) {
      const event = JSON.parse(rawBody) as { type?: string; challenge?: string; event?: unknown };
      if (event.type === "url_verification") return c.json({ challenge: event.challenge });
      if (event.type === "event_callback") deps.chat?.()?.event(event.event);
      return c.json({ ok: true });
    }

    const form = Object.fromEntries(new URLSearchParams(rawBody));
    if (form.payload !== undefined) {
      let json: unknown;
      try {
        json = JSON.parse(form.payload);
      } catch {
        return c.json({ error: { code: "REQUEST_INVALID", message: "payload is not JSON" } }, 400);
      }
      const parsed = blockActionsPayload.safeParse(json);
      if (!parsed.success) return c.json({ ok: true });
      const payload = parsed.data;
      const results = [];
      for (const action of payload.actions) {
        const decision =
          action.action_id === APPROVE_ACTION_ID
            ? "approve"
            : action.action_id === REJECT_ACTION_ID
              ? "reject"
              : undefined;
        if (!decision || !action.value) continue;
        const result = await decide(payload.user.id, action.value, decision, undefined);
        if (!result.ok) await tell(payload.channel?.id, payload.user.id, `:no_entry: ${result.error.message}`);
        results.push(result.ok ? { ok: true, id: result.request.id, state: result.request.state } : result);
      }
      return c.json({ results });
    }

    const command = slashCommand.safeParse(form);
    if (command.success && command.data.command === "/mlops") {
      const chat = deps.chat?.();
      const answer = chat
        ? chat.command({ text: command.data.text, userId: command.data.user_id, channelId: command.data.channel_id })
        : { text: "The architect is not running in this API." };
      return c.json({ response_type: "ephemeral", text: answer.text });
    }
    if (command.success) {
      const [verb = "list", id, ...rest] = command.data.text.trim().split(/\s+/).filter(Boolean);
      const ephemeral = (text: string) => c.json({ response_type: "ephemeral", text });
      try {
        if (verb === "list") {
          const pending = await approvals.list({ state: "pending", limit: 20 });
          if (pending.length === 0) return ephemeral("No pending approval requests.");
          return ephemeral(
            pending
              .map(
                (r) =>
                  `• \`${r.id}\` ${r.action.kind} on \`${r.action.target}\` by ${r.requestedBy} (${r.approvals}/${r.requiredApprovals})`,
              )
              .join("\n"),
          );
        }
        if ((verb === "approve" || verb === "reject" || verb === "show") && id) {
          if (verb === "show") {
            const r = await approvals.get(id);
            return ephemeral(
              `\`${r.id}\` ${r.state}: ${r.action.kind} on \`${r.action.target}\`, digest \`${r.digest}\``,
            );
          }
          const result = await decide(command.data.user_id, id, verb, rest.join(" ") || undefined);
          return ephemeral(
            result.ok ? `\`${id}\` is now ${result.request.state}.` : `:no_entry: ${result.error.message}`,
          );
        }
      } catch (error) {
        return ephemeral(`:no_entry: ${formatError(error)}`);
      }
      return ephemeral("Usage: /approvals list | show <id> | approve <id> | reject <id> <reason>");
    }
    return c.json({ ok: true });
  });
}
