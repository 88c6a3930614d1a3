import { systemClock } from "@mlops/core";
import { registryPendingRegistrations } from "@mlops/db";
import { and, eq, lt, or } from "drizzle-orm";
import { type GuardedChangeOptions, requireApproval } from "./guarded-change";
import { parseModelSpec } from "./model-spec";
import { findPendingRow, getPendingRegistration, type PendingRegistrationRecord } from "./pending-registrations";
import { type RegisterVersionInput, type RegistrationOutcome, registerModelVersion } from "./register-model-version";
import { registerAction, registryActionDigest, specDigest } from "./registry-action";
import type { RegistryDeps } from "./registry-deps";
import { RegistryError } from "./registry-error";

/** A claim older than this (a process that died while registering) may be taken over. */
const STALE_CLAIM_MS = 15 * 60_000;

export interface ApprovedRegistration {
  /** The pending registration after the attempt (registered, or duplicate of an existing version). */
  pending: PendingRegistrationRecord;
  outcome: RegistrationOutcome;
  /** The approval consumed (absent for a duplicate: nothing was registered, the approval stays unused). */
  approvalId: string | undefined;
  digest: string;
}

/**
 * Registers a pending registration (by its id, or by the id of its approval request) through the normal lifecycle
 * (gates, aliases, duplicates), only with an approval of exactly its `registry.register` action: the guard
 * consumes it right before the version is made. The action is rebuilt from the stored inputs, so a changed row
 * has another digest and its approval does not fit. Refused (nothing registered) without a guard, when the guard
 * refuses (no approval, rejected, expired, used, another digest), or when the registration is already done.
 */
export async function registerApproved(
  deps: RegistryDeps,
  ref: string,
  options: GuardedChangeOptions,
): Promise<ApprovedRegistration> {
  const clock = deps.clock ?? systemClock;
  const row = await findPendingRow(deps.db, ref);
  if (row.status === "registered" || row.status === "duplicate") {
    throw new RegistryError(
      "REGISTRY_PENDING_RESOLVED",
      `Pending registration ${row.id} is already done (${row.status}${row.version ? `, version ${row.version}` : ""}).`,
      { context: { pendingId: row.id, status: row.status, version: row.version } },
    );
  }
  const stored = row.input as unknown as Omit<RegisterVersionInput, "requireApproval" | "register">;
  const spec = stored.spec === undefined ? undefined : parseModelSpec(stored.spec, "stored model spec");
  const action = registerAction({
    model: row.model,
    runId: row.runId,
    metrics: stored.metrics,
    specDigest: spec ? specDigest(spec) : undefined,
    tags: stored.tags,
    description: stored.description,
  });
  const digest = registryActionDigest(action);
  if (!options.approvalGuard) {
    // the same refusal as every guarded change, before anything is claimed
    await requireApproval(deps.db, action, options);
  }

  const now = clock.now();
  const claimed = await deps.db
    .update(registryPendingRegistrations)
    .set({ status: "registering", updatedAt: now })
    .where(
      and(
        eq(registryPendingRegistrations.id, row.id),
        or(
          eq(registryPendingRegistrations.status, "pending"),
          and(
            eq(registryPendingRegistrations.status, "registering"),
            lt(registryPendingRegistrations.updatedAt, new Date(now.getTime() - STALE_CLAIM_MS)),
          ),
        ),
      ),
    )
    .returning({ id: registryPendingRegistrations.id });
  if (claimed.length !== 1) {
    throw new RegistryError(
      "REGISTRY_PENDING_RESOLVED",
      `Pending registration ${row.id} is being registered or already done.`,
      { context: { pendingId: row.id } },
    );
  }

  let approval: { approvalId: string | undefined; digest: string } | undefined;
  let outcome: RegistrationOutcome;
  try {
    outcome = await registerModelVersion(
      deps,
      {
        ...stored,
        model: row.model,
        runId: row.runId,
        ...(spec ? { spec } : {}),
        actor: options.actor,
        register: true,
        requireApproval: false,
      },
      {
        beforeRegister: async () => {
          approval = await requireApproval(deps.db, action, options);
          return approval;
        },
      },
    );
  } catch (error) {
    await deps.db
      .update(registryPendingRegistrations)
      .set({ status: "pending", lastError: (error as Error).message, updatedAt: clock.now() })
      .where(eq(registryPendingRegistrations.id, row.id));
    throw error;
  }

  const resolvedAt = clock.now();
  if (outcome.status === "registered" || outcome.status === "duplicate") {
    await deps.db
      .update(registryPendingRegistrations)
      .set({
        status: outcome.status,
        version: outcome.status === "registered" ? outcome.version : outcome.existingVersion,
        registeredAlias: outcome.status === "registered" ? (outcome.alias ?? null) : null,
        registeredBy: options.actor,
        lastError: null,
        updatedAt: resolvedAt,
        resolvedAt,
      })
      .where(eq(registryPendingRegistrations.id, row.id));
  } else {
    await deps.db
      .update(registryPendingRegistrations)
      .set({ status: "pending", lastError: outcome.message, updatedAt: resolvedAt })
      .where(eq(registryPendingRegistrations.id, row.id));
  }
  const approvalId = approval?.approvalId;
  return {
    pending: await getPendingRegistration(deps.db, row.id, clock),
    outcome:
      outcome.status === "registered" && approvalId
        ? { ...outcome, message: `${outcome.message} Approved by ${approvalId}.` }
        : outcome,
    approvalId,
    digest,
  };
}
