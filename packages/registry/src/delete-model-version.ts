import { systemClock } from "@mlops/core";
import { recordAliasEvents } from "./alias-history";
import { type GuardedChangeOptions, requireApproval } from "./guarded-change";
import { deleteVersionAction } from "./registry-action";
import type { RegistryDeps } from "./registry-deps";
import { RegistryError } from "./registry-error";
import { getVersion, tracked } from "./tracking-calls";

/**
 * Deletes a model version, only with an approval for exactly `deleteVersionAction(model, version)`. The champion
 * cannot be deleted (promote or roll back first); aliases the version held are recorded as removed.
 */
export async function deleteModelVersion(
  deps: RegistryDeps,
  model: string,
  version: string,
  options: GuardedChangeOptions,
): Promise<{ model: string; version: string; digest: string; removedAliases: string[] }> {
  const existing = await getVersion(deps, model, version);
  if (existing.aliases.includes("champion")) {
    throw new RegistryError("REGISTRY_VERSION_IS_CHAMPION", `Version ${version} of ${model} is the champion.`, {
      hint: "Promote a challenger or roll back first; the champion is never deleted.",
      context: { model, version },
    });
  }
  const { digest, approvalId } = await requireApproval(deps.db, deleteVersionAction(model, version), options);
  await tracked(deps, () => deps.mlflow.modelVersions.delete(model, version));
  await recordAliasEvents(
    deps.db,
    existing.aliases.map((alias) => ({
      model,
      alias,
      action: "removed" as const,
      version: null,
      previousVersion: version,
      actor: options.actor,
      cause: "deletion",
      reason: options.reason,
      approvalId,
      approvalDigest: digest,
    })),
    deps.clock ?? systemClock,
  );
  return { model, version, digest, removedAliases: existing.aliases };
}
