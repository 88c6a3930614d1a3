import { type Clock, type Logger, newId, silentLogger, systemClock } from "@mlops/core";
import { type AppDatabase, approvalDecisions, approvalRequests } from "@mlops/db";
import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import { z } from "zod";
import { type ActionSpec, actionDigest, actionSpecSchema, parseActionSpec } from "./action-spec";
import type { ApprovalConfig } from "./approval-config";
import { ApprovalError, type ApprovalErrorCode } from "./approval-error";
import { mayApprove, resolvePolicy } from "./approval-policy";
import {
  type ApprovalRequest,
  type ApprovalState,
  type RiskSummary,
  riskSummarySchema,
  stateOf,
  toApprovalRequest,
} from "./approval-request";
import { type ApprovalAuditEvent, writeAuditEvent } from "./audit-log";

/** Told after a request is made or decided (posting to and updating Slack, for one). Failures are logged only. */
export interface ApprovalNotifier {
  requested?(request: ApprovalRequest): Promise<void>;
  decided?(request: ApprovalRequest, decision: { approver: string; decision: "approve" | "reject" }): Promise<void>;
}

export interface ApprovalServiceOptions {
  /** The app database (never opened here). */
  db: AppDatabase;
  /** The validated `approvals:` section. */
  config: ApprovalConfig;
  /** @defaultValue systemClock */
  clock?: Clock;
  /** @defaultValue silentLogger() */
  logger?: Logger;
  notifier?: ApprovalNotifier;
}

/** Input of a new request, as the API accepts it. */
export const requestApprovalInputSchema = z.object({
  action: actionSpecSchema,
  reason: z.string().min(1).describe("Why the action is needed"),
  risk: riskSummarySchema,
  expiresInHours: z
    .number()
    .positive()
    .max(24 * 30)
    .optional()
    .describe("Default: approvals.expiryHours"),
});
export type RequestApprovalInput = z.input<typeof requestApprovalInputSchema> & {
  requestedBy: string;
  /** Channel the request came through: agent, api, cli, slack, web… */
  channel: string;
};

export interface DecideInput {
  id: string;
  approver: string;
  channel: string;
  decision: "approve" | "reject";
  /** Required to reject. */
  reason?: string | undefined;
}

export interface ListApprovalsOptions {
  /** @defaultValue every state */
  state?: ApprovalState;
  /** @defaultValue 50 */
  limit?: number;
}

interface Refusal {
  code: ApprovalErrorCode;
  message: string;
  hint?: string;
  digest?: string;
}

export type ApprovalService = ReturnType<typeof createApprovalService>;

/** Requests, decisions and reads of approvals. Every request and decision (and every refusal) is audited. */
export function createApprovalService(options: ApprovalServiceOptions) {
  const { db, config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();

  async function load(id: string, executor: AppDatabase = db): Promise<ApprovalRequest | undefined> {
    const [row] = await executor.select().from(approvalRequests).where(eq(approvalRequests.id, id));
    if (!row) return undefined;
    const decisions = await executor.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, id));
    return toApprovalRequest(row, decisions, clock.now());
  }

  async function notify(work: (() => Promise<void> | undefined) | undefined, what: string): Promise<void> {
    if (!work) return;
    try {
      await work();
    } catch (error) {
      logger.warn({ err: error }, `approval notifier failed on ${what}`);
    }
  }

  const service = {
    config,

    /** Records a request for approval of `action`; the policy is fixed now, from the configuration. */
    async request(input: RequestApprovalInput): Promise<ApprovalRequest> {
      const action: ActionSpec = parseActionSpec(input.action);
      const risk: RiskSummary = riskSummarySchema.parse(input.risk);
      const digest = actionDigest(action);
      const policy = resolvePolicy(config, action, input.requestedBy, { reversible: risk.reversible });
      const now = clock.now();
      const id = newId("apr", now.getTime());
      const hours = input.expiresInHours ?? config.expiryHours;
      await db.transaction(async (tx) => {
        await tx.insert(approvalRequests).values({
          id,
          digest,
          kind: action.kind,
          target: action.target,
          action: action as Record<string, unknown>,
          requestedBy: input.requestedBy,
          requestedVia: input.channel,
          reason: input.reason,
          risk: risk as Record<string, unknown>,
          policy: policy as unknown as Record<string, unknown>,
          requiredApprovals: policy.requiredApprovals,
          createdAt: now,
          expiresAt: new Date(now.getTime() + hours * 3_600_000),
        });
        await writeAuditEvent(tx, clock, {
          actor: input.requestedBy,
          channel: input.channel,
          action: "approval.requested",
          subject: id,
          digest,
          outcome: "ok",
          detail: { kind: action.kind, target: action.target, reason: input.reason, policy, risk },
        });
      });
      const request = (await load(id))!;
      if (policy.approvers.length < policy.requiredApprovals) {
        logger.warn({ id, policy }, "approval request cannot be approved: too few approvers are configured");
      }
      await notify(options.notifier?.requested && (() => options.notifier?.requested?.(request)), "request");
      return request;
    },

    /**
     * Records one decision. Refused (and audited) when the request is unknown, expired or already decided, when
     * the person is the requester or not allowed by the policy, or has decided already. The request row is
     * locked for the decision, so concurrent clicks record one decision.
     */
    async decide(input: DecideInput): Promise<ApprovalRequest> {
      if (input.decision === "reject" && !input.reason?.trim()) {
        throw new ApprovalError("APPROVAL_ACTION_INVALID", "A rejection needs a reason.", {
          hint: "Say why, so the requester can change the action.",
        });
      }
      const outcome = await db.transaction(async (tx): Promise<Refusal | { ok: true; digest: string }> => {
        const [row] = await tx.select().from(approvalRequests).where(eq(approvalRequests.id, input.id)).for("update");
        if (!row) return { code: "APPROVAL_NOT_FOUND", message: `No approval request ${input.id}.` };
        const now = clock.now();
        const state = stateOf(row, now);
        const digest = row.digest;
        if (state === "expired") {
          return {
            code: "APPROVAL_EXPIRED",
            message: `Approval request ${row.id} expired at ${row.expiresAt.toISOString()}.`,
            hint: "Ask for a new approval.",
            digest,
          };
        }
        if (state !== "pending") {
          return {
            code: "APPROVAL_ALREADY_DECIDED",
            message: `Approval request ${row.id} is already ${state}.`,
            digest,
          };
        }
        if (input.approver === row.requestedBy) {
          return {
            code: "APPROVAL_SELF",
            message: `${input.approver} requested ${row.id} and cannot decide it.`,
            hint: "Ask another approver.",
            digest,
          };
        }
        const policy = row.policy as unknown as { approvers: string[]; requester: string };
        if (!mayApprove(policy, input.approver)) {
          return {
            code: "APPROVAL_NOT_ALLOWED",
            message: `${input.approver} may not decide ${row.id}.`,
            hint: `Allowed: ${policy.approvers.join(", ") || "nobody (configure approvals.approvers)"}.`,
            digest,
          };
        }
        const previous = await tx.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, row.id));
        if (previous.some((d) => d.approver === input.approver)) {
          return {
            code: "APPROVAL_ALREADY_DECIDED",
            message: `${input.approver} has already decided ${row.id}.`,
            digest,
          };
        }
        await tx.insert(approvalDecisions).values({
          id: newId("dec", now.getTime()),
          requestId: row.id,
          approver: input.approver,
          decision: input.decision,
          channel: input.channel,
          reason: input.reason ?? null,
          at: now,
        });
        const approvals =
          previous.filter((d) => d.decision === "approve").length + (input.decision === "approve" ? 1 : 0);
        const status =
          input.decision === "reject" ? "rejected" : approvals >= row.requiredApprovals ? "approved" : "pending";
        if (status !== "pending") {
          await tx
            .update(approvalRequests)
            .set({ status, decidedAt: now })
            .where(and(eq(approvalRequests.id, row.id), eq(approvalRequests.status, "pending")));
        }
        await writeAuditEvent(tx, clock, {
          actor: input.approver,
          channel: input.channel,
          action: input.decision === "approve" ? "approval.approved" : "approval.rejected",
          subject: row.id,
          digest,
          outcome: "ok",
          detail: {
            reason: input.reason ?? null,
            approvals,
            requiredApprovals: row.requiredApprovals,
            status,
          },
        });
        return { ok: true, digest };
      });
      if (!("ok" in outcome)) {
        await writeAuditEvent(db, clock, {
          actor: input.approver,
          channel: input.channel,
          action: "approval.decision_refused",
          subject: input.id,
          digest: outcome.digest,
          outcome: "refused",
          detail: { code: outcome.code, message: outcome.message, decision: input.decision },
        });
        throw new ApprovalError(outcome.code, outcome.message, {
          ...(outcome.hint ? { hint: outcome.hint } : {}),
          context: { id: input.id, approver: input.approver },
        });
      }
      const request = (await load(input.id))!;
      await notify(
        options.notifier?.decided &&
          (() => options.notifier?.decided?.(request, { approver: input.approver, decision: input.decision })),
        "decision",
      );
      return request;
    },

    approve(input: Omit<DecideInput, "decision">): Promise<ApprovalRequest> {
      return service.decide({ ...input, decision: "approve" });
    },

    reject(input: Omit<DecideInput, "decision"> & { reason: string }): Promise<ApprovalRequest> {
      return service.decide({ ...input, decision: "reject" });
    },

    /** One request with its action, digest and decisions. */
    async get(id: string): Promise<ApprovalRequest> {
      const request = await load(id);
      if (!request) {
        throw new ApprovalError("APPROVAL_NOT_FOUND", `No approval request ${id}.`, {
          hint: "List them with `mlops approvals list`.",
        });
      }
      return request;
    },

    /** Requests, newest first. `state: "pending"` lists those still waiting for a decision and not expired. */
    async list(listOptions: ListApprovalsOptions = {}): Promise<ApprovalRequest[]> {
      const limit = Math.min(Math.max(listOptions.limit ?? 50, 1), 500);
      const now = clock.now();
      const where =
        listOptions.state === "pending"
          ? and(eq(approvalRequests.status, "pending"), gt(approvalRequests.expiresAt, now))
          : undefined;
      const rows = await db
        .select()
        .from(approvalRequests)
        .where(where)
        .orderBy(desc(approvalRequests.createdAt), desc(approvalRequests.id))
        .limit(listOptions.state && listOptions.state !== "pending" ? 500 : limit);
      const ids = rows.map((r) => r.id);
      const decisions =
        ids.length === 0
          ? []
          : await db
              .select()
              .from(approvalDecisions)
              .where(inArray(approvalDecisions.requestId, ids))
              .orderBy(asc(approvalDecisions.at));
      return rows
        .map((row) =>
          toApprovalRequest(
            row,
            decisions.filter((d) => d.requestId === row.id),
            now,
          ),
        )
        .filter((r) => !listOptions.state || r.state === listOptions.state)
        .slice(0, limit);
    },

    /** Remembers where the request was posted in Slack, to update the message in place. */
    async attachSlackMessage(id: string, message: { channel: string; ts: string }): Promise<void> {
      await db
        .update(approvalRequests)
        .set({ slackChannel: message.channel, slackTs: message.ts })
        .where(eq(approvalRequests.id, id));
    },

    /** Appends an event to the audit log: for refusals that happen before a decision is attempted (Slack checks). */
    audit(event: ApprovalAuditEvent): Promise<void> {
      return writeAuditEvent(db, clock, event);
    },

    /** The approver a Slack user maps to (approvals.slackUsers), if any. */
    approverForSlackUser(slackUserId: string): string | undefined {
      return config.slackUsers[slackUserId];
    },
  };
  return service;
}
