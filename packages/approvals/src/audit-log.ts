import { type Clock, newId } from "@mlops/core";
import { type AppDatabase, auditEvents } from "@mlops/db";

/** Audit actions this package writes. */
export type ApprovalAuditAction =
  | "approval.requested"
  | "approval.approved"
  | "approval.rejected"
  | "approval.decision_refused"
  | "approval.consumed"
  | "approval.execution_refused"
  | "approval.execution_failed"
  /** A request to the Slack endpoint that failed verification (forged, stale, replayed). */
  | "slack.request_refused";

export interface ApprovalAuditEvent {
  actor: string;
  channel: string;
  action: ApprovalAuditAction;
  /** The approval request id, when there is one. */
  subject?: string | undefined;
  digest?: string | undefined;
  outcome: "ok" | "refused" | "failed";
  detail?: Record<string, unknown>;
}

/** Appends one event to the audit log (in `db`, which may be a transaction). */
export async function writeAuditEvent(db: AppDatabase, clock: Clock, event: ApprovalAuditEvent): Promise<void> {
  const at = clock.now();
  await db.insert(auditEvents).values({
    id: newId("aud", at.getTime()),
    at,
    actor: event.actor,
    channel: event.channel,
    action: event.action,
    subject: event.subject ?? null,
    digest: event.digest ?? null,
    outcome: event.outcome,
    detail: event.detail ?? {},
  });
}
