import { type AppDatabase, approvalRequests } from "@mlops/db";
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { RegistryApprovalAction, RegistryApprovalGuard } from "./registry-action";
import { registryActionDigest } from "./registry-action";
import { RegistryError } from "./registry-error";

/** Options of every registry change that needs a human approval. */
export interface GuardedChangeOptions {
  /** Consumes an approval of exactly the action, or throws; without one nothing is changed. */
  approvalGuard?: RegistryApprovalGuard | undefined;
  /** Who executes (recorded in the alias history). */
  actor: string;
  /** The approval used, when the caller knows it (recorded in the alias history). */
  approvalId?: string | undefined;
  reason?: string | undefined;
}

/**
 * Calls the guard (which throws when there is no valid approval) before anything changes. Returns the digest and
 * the approval used: the one named, else the latest used approval of this digest in the app database.
 */
export async function requireApproval(
  db: AppDatabase,
  action: RegistryApprovalAction,
  options: GuardedChangeOptions,
): Promise<{ digest: string; approvalId: string | undefined }> {
  const digest = registryActionDigest(action);
  if (!options.approvalGuard) {
    throw new RegistryError(
      "REGISTRY_APPROVAL_REQUIRED",
      `${action.kind} on ${action.target} needs an approval and no approval check is configured.`,
      {
        hint: "Request an approval for this exact action (digest in the context), then run it with the approvals guard.",
        context: { action, digest },
      },
    );
  }
  await options.approvalGuard(action);
  if (options.approvalId) return { digest, approvalId: options.approvalId };
  const [used] = await db
    .select({ id: approvalRequests.id })
    .from(approvalRequests)
    .where(and(eq(approvalRequests.digest, digest), isNotNull(approvalRequests.usedAt)))
    .orderBy(desc(approvalRequests.usedAt))
    .limit(1);
  return { digest, approvalId: used?.id };
}
