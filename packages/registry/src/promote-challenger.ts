import { systemClock } from "@mlops/core";
import { type AliasEvent, listAliasHistory, recordAliasEvents } from "./alias-history";
import { type GuardedChangeOptions, requireApproval } from "./guarded-change";
import { planPromotion, planRollback } from "./promotion-plan";
import type { RegistryDeps } from "./registry-deps";
import { tracked } from "./tracking-calls";

export interface AliasMoveResult {
  model: string;
  champion: string;
  /** The version that lost `champion` and is now `defeated`. */
  defeated: string | undefined;
  digest: string;
  /** The approval consumed (named by the caller, or found by digest). */
  approvalId: string | undefined;
  events: AliasEvent[];
}

/**
 * Promotes the challenger to champion, only with an approval for exactly that change (`planPromotion(model).action`):
 * `champion` moves to the challenger, the old champion becomes `defeated`, the `challenger` alias is removed,
 * and each move is recorded in the alias history with the approval. Without a valid approval nothing changes.
 */
export async function promoteChallenger(
  deps: RegistryDeps,
  model: string,
  options: GuardedChangeOptions,
): Promise<AliasMoveResult> {
  const clock = deps.clock ?? systemClock;
  const plan = await planPromotion(deps, model);
  const { digest, approvalId } = await requireApproval(deps.db, plan.action, options);
  const champion = plan.version.version;
  const defeated = plan.fromVersion?.version;
  await tracked(deps, async () => {
    await deps.mlflow.aliases.set(model, "champion", champion);
    if (defeated) await deps.mlflow.aliases.set(model, "defeated", defeated);
    await deps.mlflow.aliases.delete(model, "challenger");
    await deps.mlflow.modelVersions.setTag(model, champion, "lifecycle_role", "champion");
    if (defeated) await deps.mlflow.modelVersions.setTag(model, defeated, "lifecycle_role", "defeated");
  });
  const common = {
    model,
    actor: options.actor,
    cause: "promotion",
    reason: options.reason,
    approvalId,
    approvalDigest: digest,
  };
  const before = await listAliasHistory(deps.db, model);
  const previousDefeated = [...before].reverse().find((e) => e.alias === "defeated")?.version ?? null;
  await recordAliasEvents(
    deps.db,
    [
      { ...common, alias: "champion", action: "set", version: champion, previousVersion: defeated ?? null },
      ...(defeated
        ? [
            {
              ...common,
              alias: "defeated",
              action: "set" as const,
              version: defeated,
              previousVersion: previousDefeated,
            },
          ]
        : []),
      { ...common, alias: "challenger", action: "removed", version: null, previousVersion: champion },
    ],
    clock,
  );
  const events = (await listAliasHistory(deps.db, model)).slice(before.length);
  return { model, champion, defeated, digest, approvalId, events };
}

/**
 * Rolls `champion` back to the previous champion, only with an approval for exactly that change
 * (`planRollback(model).action`); the rolled-back version becomes `defeated`.
 */
export async function rollbackChampion(
  deps: RegistryDeps,
  model: string,
  options: GuardedChangeOptions,
): Promise<AliasMoveResult> {
  const clock = deps.clock ?? systemClock;
  const plan = await planRollback(deps, model);
  const { digest, approvalId } = await requireApproval(deps.db, plan.action, options);
  const champion = plan.version.version;
  const defeated = plan.fromVersion.version;
  await tracked(deps, async () => {
    await deps.mlflow.aliases.set(model, "champion", champion);
    await deps.mlflow.aliases.set(model, "defeated", defeated);
    await deps.mlflow.modelVersions.setTag(model, champion, "lifecycle_role", "champion");
    await deps.mlflow.modelVersions.setTag(model, defeated, "lifecycle_role", "defeated");
  });
  const common = {
    model,
    actor: options.actor,
    cause: "rollback",
    reason: options.reason,
    approvalId,
    approvalDigest: digest,
  };
  const before = await listAliasHistory(deps.db, model);
  await recordAliasEvents(
    deps.db,
    [
      { ...common, alias: "champion", action: "set", version: champion, previousVersion: defeated },
      { ...common, alias: "defeated", action: "set", version: defeated, previousVersion: champion },
    ],
    clock,
  );
  const events = (await listAliasHistory(deps.db, model)).slice(before.length);
  return { model, champion, defeated, digest, approvalId, events };
}
