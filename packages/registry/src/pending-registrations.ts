import { type Clock, newId, systemClock } from "@mlops/core";
import {
  type AppDatabase,
  approvalRequests,
  type PendingRegistrationStatus,
  type RegistryPendingRegistrationRow,
  registryPendingRegistrations,
} from "@mlops/db";
import { and, asc, eq, inArray, or } from "drizzle-orm";
import type { RegisterActionSpec } from "./registry-action";
import { RegistryError } from "./registry-error";

/** Where the approval of a pending registration stands (read from the app database's approval requests). */
export type PendingApprovalState = "pending" | "approved" | "rejected" | "expired" | "used" | "missing" | "none";

/** A registration waiting for (or done after) its approval, as `mlops registry pending` shows it. */
export interface PendingRegistrationRecord {
  id: string;
  model: string;
  runId: string;
  status: PendingRegistrationStatus;
  /** The role and alias it would get when it was asked for; the lifecycle decides again when it registers. */
  role: string;
  alias: string | null;
  validationReason: string | null;
  metrics: Record<string, number>;
  action: RegisterActionSpec;
  digest: string;
  requestedBy: string;
  approvalId: string | null;
  approvalState: PendingApprovalState;
  /** The version registered (or the existing one it duplicated), its alias, and who registered it. */
  version: string | null;
  registeredAlias: string | null;
  registeredBy: string | null;
  lastError: string | null;
  createdAt: string;
  resolvedAt: string | null;
}

export interface RecordPendingInput {
  model: string;
  runId: string;
  input: Record<string, unknown>;
  action: RegisterActionSpec;
  digest: string;
  role: string;
  alias: string | undefined;
  validationReason: string;
  requestedBy: string;
  clock?: Clock;
}

const OPEN: PendingRegistrationStatus[] = ["pending", "registering"];

function toRecord(row: RegistryPendingRegistrationRow, approvalState: PendingApprovalState): PendingRegistrationRecord {
  return {
    id: row.id,
    model: row.model,
    runId: row.runId,
    status: row.status,
    role: row.role,
    alias: row.alias,
    validationReason: row.validationReason,
    metrics: ((row.input as { metrics?: Record<string, number> }).metrics ?? {}) as Record<string, number>,
    action: row.action as unknown as RegisterActionSpec,
    digest: row.digest,
    requestedBy: row.requestedBy,
    approvalId: row.approvalId,
    approvalState,
    version: row.version,
    registeredAlias: row.registeredAlias,
    registeredBy: row.registeredBy,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

async function approvalStates(
  db: AppDatabase,
  rows: RegistryPendingRegistrationRow[],
  now: Date,
): Promise<Map<string, PendingApprovalState>> {
  const ids = [...new Set(rows.map((r) => r.approvalId).filter((id): id is string => Boolean(id)))];
  const states = new Map<string, PendingApprovalState>();
  if (ids.length === 0) return states;
  const found = await db
    .select({
      id: approvalRequests.id,
      status: approvalRequests.status,
      usedAt: approvalRequests.usedAt,
      expiresAt: approvalRequests.expiresAt,
    })
    .from(approvalRequests)
    .where(inArray(approvalRequests.id, ids));
  for (const a of found) {
    states.set(
      a.id,
      a.usedAt ? "used" : a.status === "rejected" ? "rejected" : a.expiresAt <= now ? "expired" : a.status,
    );
  }
  return states;
}

async function withStates(
  db: AppDatabase,
  rows: RegistryPendingRegistrationRow[],
  clock: Clock,
): Promise<PendingRegistrationRecord[]> {
  const states = await approvalStates(db, rows, clock.now());
  return rows.map((r) => toRecord(r, r.approvalId ? (states.get(r.approvalId) ?? "missing") : "none"));
}

/**
 * Records a registration that waits for approval. Idempotent per digest: while one with the same action is open
 * (pending or registering), that one is returned, so a retried job asks for no second approval.
 */
export async function recordPendingRegistration(
  db: AppDatabase,
  input: RecordPendingInput,
): Promise<RegistryPendingRegistrationRow> {
  const clock = input.clock ?? systemClock;
  const [open] = await db
    .select()
    .from(registryPendingRegistrations)
    .where(
      and(eq(registryPendingRegistrations.digest, input.digest), inArray(registryPendingRegistrations.status, OPEN)),
    )
    .orderBy(asc(registryPendingRegistrations.seq))
    .limit(1);
  if (open) return open;
  const now = clock.now();
  const [row] = await db
    .insert(registryPendingRegistrations)
    .values({
      id: newId("preg", now.getTime()),
      model: input.model,
      runId: input.runId,
      input: input.input,
      action: input.action as unknown as Record<string, unknown>,
      digest: input.digest,
      role: input.role,
      alias: input.alias ?? null,
      validationReason: input.validationReason,
      requestedBy: input.requestedBy,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** Names the approval request made for a pending registration (the jobs layer asks for it). */
export async function attachApproval(
  db: AppDatabase,
  pendingId: string,
  approvalId: string,
  clock: Clock = systemClock,
): Promise<void> {
  const updated = await db
    .update(registryPendingRegistrations)
    .set({ approvalId, updatedAt: clock.now() })
    .where(eq(registryPendingRegistrations.id, pendingId))
    .returning({ id: registryPendingRegistrations.id });
  if (updated.length === 0) {
    throw new RegistryError("REGISTRY_PENDING_NOT_FOUND", `No pending registration ${pendingId}.`);
  }
}

export interface PendingQuery {
  model?: string | undefined;
  /** @defaultValue the open ones (pending, registering) */
  status?: PendingRegistrationStatus | "all" | undefined;
  /** @defaultValue 200 */
  limit?: number | undefined;
}

/** Pending registrations (oldest first) with the state of their approval. */
export async function listPendingRegistrations(
  db: AppDatabase,
  query: PendingQuery = {},
  clock: Clock = systemClock,
): Promise<PendingRegistrationRecord[]> {
  const statuses = query.status === "all" ? undefined : query.status ? [query.status] : OPEN;
  const conditions = [
    ...(statuses ? [inArray(registryPendingRegistrations.status, statuses)] : []),
    ...(query.model ? [eq(registryPendingRegistrations.model, query.model)] : []),
  ];
  const rows = await db
    .select()
    .from(registryPendingRegistrations)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(asc(registryPendingRegistrations.seq))
    .limit(query.limit ?? 200);
  return withStates(db, rows, clock);
}

/**
 * The row of a pending registration, by its id, by the id of the approval request made for it, or by the id of
 * any `registry.register` approval request of its exact action (digest).
 */
export async function findPendingRow(db: AppDatabase, ref: string): Promise<RegistryPendingRegistrationRow> {
  const rows = await db
    .select()
    .from(registryPendingRegistrations)
    .where(or(eq(registryPendingRegistrations.id, ref), eq(registryPendingRegistrations.approvalId, ref)))
    .orderBy(asc(registryPendingRegistrations.seq));
  // an id names one row; an approval id names the one it was requested for (the open one first)
  let row = rows.find((r) => r.id === ref) ?? rows.find((r) => OPEN.includes(r.status)) ?? rows[0];
  if (!row) {
    // an approval asked for later (after a rejection or expiry) names the registration by its action's digest
    const [approval] = await db
      .select({ digest: approvalRequests.digest, kind: approvalRequests.kind })
      .from(approvalRequests)
      .where(eq(approvalRequests.id, ref));
    if (approval?.kind === "registry.register") {
      const byDigest = await db
        .select()
        .from(registryPendingRegistrations)
        .where(eq(registryPendingRegistrations.digest, approval.digest))
        .orderBy(asc(registryPendingRegistrations.seq));
      row = byDigest.find((r) => OPEN.includes(r.status)) ?? byDigest[0];
    }
  }
  if (!row) {
    throw new RegistryError("REGISTRY_PENDING_NOT_FOUND", `No pending registration ${ref}.`, {
      hint: "`mlops registry pending` lists them, with their approval ids.",
    });
  }
  return row;
}

/** One pending registration, by its id or its approval's id. */
export async function getPendingRegistration(
  db: AppDatabase,
  ref: string,
  clock: Clock = systemClock,
): Promise<PendingRegistrationRecord> {
  const [record] = await withStates(db, [await findPendingRow(db, ref)], clock);
  return record!;
}
