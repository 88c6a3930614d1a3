import { type Clock, systemClock } from "@mlops/core";
import { type AppDatabase, type ApprovalRequestRow, approvalDecisions, approvalRequests } from "@mlops/db";
import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { type ActionSpec, actionDigest, actionSpecSchema, parseActionSpec } from "./action-spec";
import type { ApprovalConfig } from "./approval-config";
import { ApprovalError, type ApprovalErrorCode, isApprovalError } from "./approval-error";
import { type ApprovalPolicy, mayApprove, resolvePolicy } from "./approval-policy";
import { type ApprovalRequest, type RiskSummary, stateOf, toApprovalRequest } from "./approval-request";
import { writeAuditEvent } from "./audit-log";

export interface ExecuteWithApprovalOptions {
  /** The app database (never opened here). */
  db: AppDatabase;
  /** The action exactly as it will execute. */
  action: ActionSpec;
  /** The approval to use. Omitted: the oldest approved, unused, unexpired approval of this exact digest. */
  approvalId?: string | undefined;
  /** Who executes (a person, or `worker:<id>`). */
  actor: string;
  /** Through which channel: worker, agent, cli, api… */
  channel: string;
  /**
   * The current `approvals:` configuration. When given, approvals count only from people it still allows (on
   * top of the policy stored with the request), so removing someone from the approvers takes effect at once.
   */
  config?: ApprovalConfig | undefined;
  /** @defaultValue systemClock */
  clock?: Clock;
}

/** What `perform` gets: the transaction the approval was consumed in, and the approval. */
export interface ApprovedExecution {
  tx: AppDatabase;
  approval: ApprovalRequest;
  digest: string;
}

/** Refuses (by throwing an {@link ApprovalError}) unless `action` has a valid approval, which it consumes. */
export type ApprovalGuard = (action: ActionSpec) => Promise<void>;

interface Refusal {
  code: ApprovalErrorCode;
  message: string;
  hint?: string;
  subject?: string;
}

function refusalFor(row: ApprovalRequestRow, now: Date, digest: string): Refusal | undefined {
  if (row.digest !== digest) {
    return {
      code: "APPROVAL_DIGEST_MISMATCH",
      message: `Approval ${row.id} is for another action (digest ${row.digest.slice(0, 12)}…, this action ${digest.slice(0, 12)}…).`,
      hint: "The action changed after it was approved: ask for an approval of the action as it is now.",
      subject: row.id,
    };
  }
  const state = stateOf(row, now);
  if (state === "used") {
    return {
      code: "APPROVAL_USED",
      message: `Approval ${row.id} was already used at ${row.usedAt?.toISOString()} by ${row.usedBy}.`,
      hint: "An approval runs its action once; ask for a new one.",
      subject: row.id,
    };
  }
  if (state === "expired") {
    return {
      code: "APPROVAL_EXPIRED",
      message: `Approval ${row.id} expired at ${row.expiresAt.toISOString()}.`,
      hint: "Ask for a new approval.",
      subject: row.id,
    };
  }
  if (state !== "approved") {
    return {
      code: "APPROVAL_NOT_APPROVED",
      message: `Approval request ${row.id} is ${state}, not approved.`,
      hint:
        state === "pending" ? "Wait for an approver, or ask one." : "The action was rejected; change it and ask again.",
      subject: row.id,
    };
  }
  return undefined;
}

async function countValidApprovals(
  tx: AppDatabase,
  row: ApprovalRequestRow,
  config: ApprovalConfig | undefined,
): Promise<{ valid: number; refusedPeople: string[]; required: number }> {
  const stored = row.policy as unknown as ApprovalPolicy;
  const current = config
    ? resolvePolicy(config, row.action as ActionSpec, row.requestedBy, {
        reversible: (row.risk as RiskSummary).reversible,
      })
    : undefined;
  const decisions = await tx
    .select()
    .from(approvalDecisions)
    .where(and(eq(approvalDecisions.requestId, row.id), eq(approvalDecisions.decision, "approve")));
  const people = new Set<string>();
  const refusedPeople: string[] = [];
  for (const d of decisions) {
    const allowed =
      d.approver !== row.requestedBy && mayApprove(stored, d.approver) && (!current || mayApprove(current, d.approver));
    if (allowed) people.add(d.approver);
    else refusedPeople.push(d.approver);
  }
  return {
    valid: people.size,
    refusedPeople,
    required: Math.max(row.requiredApprovals, current?.requiredApprovals ?? 1),
  };
}

/**
 * Runs `perform` only if an approval for exactly this action's digest exists, was approved by enough allowed
 * people (never the requester), has not expired and has not been used. The approval is consumed in the same
 * transaction that `perform` runs in (its row locked with `SELECT … FOR UPDATE`), so two concurrent executions
 * consume it once. If `perform` throws, the transaction rolls back and the approval stays unused. Refusals and
 * failures are written to the audit log.
 *
 * @example
 * await executeWithApproval({ db, action, approvalId, actor: "worker:w1", channel: "worker" }, async ({ tx }) => {
 *   await lakehouse.execute(action.sql!);
 * });
 */
export async function executeWithApproval<T>(
  options: ExecuteWithApprovalOptions,
  perform: (execution: ApprovedExecution) => Promise<T>,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  let action: ActionSpec;
  let digest: string;
  try {
    action = parseActionSpec(options.action);
    digest = actionDigest(action);
  } catch (error) {
    await auditRefusal(options, clock, {
      code: "APPROVAL_ACTION_INVALID",
      message: (error as Error).message,
      ...(options.approvalId ? { subject: options.approvalId } : {}),
    });
    throw error;
  }

  let refusal: Refusal | undefined;
  let approvalId: string | undefined;
  try {
    const result = await options.db.transaction(async (tx) => {
      const now = clock.now();
      let row: ApprovalRequestRow | undefined;
      if (options.approvalId) {
        [row] = await tx
          .select()
          .from(approvalRequests)
          .where(eq(approvalRequests.id, options.approvalId))
          .for("update");
        if (!row) {
          refusal = {
            code: "APPROVAL_MISSING",
            message: `No approval ${options.approvalId} exists.`,
            hint: "Ask for an approval of this action.",
            subject: options.approvalId,
          };
          return undefined;
        }
      } else {
        const candidates = await tx
          .select()
          .from(approvalRequests)
          .where(and(eq(approvalRequests.digest, digest), isNull(approvalRequests.usedAt)))
          .orderBy(asc(approvalRequests.createdAt))
          .for("update");
        row = candidates.find((c) => stateOf(c, now) === "approved") ?? candidates[0];
        if (!row) {
          refusal = {
            code: "APPROVAL_MISSING",
            message: `No unused approval exists for this ${action.kind} on ${action.target} (digest ${digest.slice(0, 12)}…).`,
            hint: "Ask for an approval of this exact action; `mlops approvals list` shows what is pending.",
          };
          return undefined;
        }
      }
      refusal = refusalFor(row, now, digest);
      if (refusal) return undefined;
      const count = await countValidApprovals(tx, row, options.config);
      if (count.valid < count.required) {
        refusal = {
          code: count.refusedPeople.length > 0 ? "APPROVAL_NOT_ALLOWED" : "APPROVAL_NOT_APPROVED",
          message:
            `Approval ${row.id} has ${count.valid} valid approval(s) of ${count.required} needed` +
            (count.refusedPeople.length > 0 ? ` (not allowed: ${count.refusedPeople.join(", ")}).` : "."),
          hint: "Ask an allowed approver.",
          subject: row.id,
        };
        return undefined;
      }
      const consumed = await tx
        .update(approvalRequests)
        .set({ usedAt: now, usedBy: options.actor })
        .where(and(eq(approvalRequests.id, row.id), isNull(approvalRequests.usedAt)))
        .returning();
      if (consumed.length !== 1) {
        refusal = { code: "APPROVAL_USED", message: `Approval ${row.id} was already used.`, subject: row.id };
        return undefined;
      }
      approvalId = row.id;
      await writeAuditEvent(tx, clock, {
        actor: options.actor,
        channel: options.channel,
        action: "approval.consumed",
        subject: row.id,
        digest,
        outcome: "ok",
        detail: { kind: action.kind, target: action.target },
      });
      const decisions = await tx.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, row.id));
      const approval = toApprovalRequest(consumed[0]!, decisions, now);
      return { value: await perform({ tx, approval, digest }) };
    });
    if (refusal || !result) {
      const why = refusal ?? { code: "APPROVAL_MISSING" as const, message: "No approval." };
      await auditRefusal(options, clock, why, digest);
      throw new ApprovalError(why.code, why.message, {
        ...(why.hint ? { hint: why.hint } : {}),
        context: {
          digest,
          kind: action.kind,
          target: action.target,
          ...(why.subject ? { approvalId: why.subject } : {}),
        },
      });
    }
    return result.value;
  } catch (error) {
    if (!isApprovalError(error) && approvalId) {
      await writeAuditEvent(options.db, clock, {
        actor: options.actor,
        channel: options.channel,
        action: "approval.execution_failed",
        subject: approvalId,
        digest,
        outcome: "failed",
        detail: { message: (error as Error).message, approvalStillUnused: true },
      });
    }
    throw error;
  }
}

async function auditRefusal(
  options: ExecuteWithApprovalOptions,
  clock: Clock,
  refusal: Refusal,
  digest?: string,
): Promise<void> {
  await writeAuditEvent(options.db, clock, {
    actor: options.actor,
    channel: options.channel,
    action: "approval.execution_refused",
    subject: refusal.subject ?? options.approvalId,
    digest,
    outcome: "refused",
    detail: { code: refusal.code, message: refusal.message },
  });
}

/**
 * A guard other packages take as an injected function: it consumes a valid approval for the action or throws.
 * The caller performs the action after it returns; use {@link executeWithApproval} where the effect can share
 * the consuming transaction.
 */
export function createApprovalGuard(
  options: Omit<ExecuteWithApprovalOptions, "action" | "approvalId"> & {
    /** The approval to use for an action; omitted: found by digest. */
    approvalIdFor?: (action: ActionSpec) => string | undefined;
  },
): ApprovalGuard {
  return async (action) => {
    await executeWithApproval(
      { ...options, action, approvalId: options.approvalIdFor?.(action) },
      async () => undefined,
    );
  };
}

/** The part of a worker job's payload that carries an approved action. */
export const approvedJobPayloadSchema = z.object({
  action: actionSpecSchema,
  approvalId: z.string().min(1),
});
export type ApprovedJobPayload = z.infer<typeof approvedJobPayloadSchema>;

/**
 * For a worker: checks that a job payload carries `{ action, approvalId }` and executes `perform` under that
 * approval. A forged job (no approval, another action's approval, an expired or used one) is refused like any
 * other execution, and audited.
 */
export async function executeApprovedJob<T>(
  options: Omit<ExecuteWithApprovalOptions, "action" | "approvalId">,
  payload: unknown,
  perform: (execution: ApprovedExecution & { payload: ApprovedJobPayload }) => Promise<T>,
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const raw = (payload ?? {}) as Record<string, unknown>;
  const parsed = approvedJobPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const missing = typeof raw.approvalId !== "string" || raw.approvalId.length === 0;
    const refusal: Refusal = missing
      ? {
          code: "APPROVAL_MISSING",
          message: "The job carries no approvalId for its action.",
          hint: "Destructive jobs are enqueued with the id of an approved request.",
        }
      : {
          code: "APPROVAL_ACTION_INVALID",
          message: `The job's action is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        };
    let digest: string | undefined;
    try {
      digest = raw.action ? actionDigest(raw.action as ActionSpec) : undefined;
    } catch {
      digest = undefined;
    }
    await writeAuditEvent(options.db, clock, {
      actor: options.actor,
      channel: options.channel,
      action: "approval.execution_refused",
      subject: typeof raw.approvalId === "string" ? raw.approvalId : undefined,
      digest,
      outcome: "refused",
      detail: { code: refusal.code, message: refusal.message },
    });
    throw new ApprovalError(refusal.code, refusal.message, refusal.hint ? { hint: refusal.hint } : {});
  }
  const job = parsed.data;
  return executeWithApproval({ ...options, action: job.action, approvalId: job.approvalId }, (execution) =>
    perform({ ...execution, payload: job }),
  );
}
