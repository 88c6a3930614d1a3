import type { ModelVersion } from "@mlops/mlflow";
import { previousChampion } from "./alias-history";
import { promotionAction, type RegistryActionSpec, registryActionDigest, rollbackAction } from "./registry-action";
import type { RegistryDeps } from "./registry-deps";
import { RegistryError } from "./registry-error";
import { aliasMap, getModel, getVersion } from "./tracking-calls";

/** An alias move that needs an approval: the exact action spec to approve and its digest. */
export interface AliasMovePlan {
  model: string;
  action: RegistryActionSpec;
  digest: string;
  /** The version that becomes champion. */
  version: ModelVersion;
  /** The champion now (undefined only when a challenger is promoted into an empty seat). */
  fromVersion: ModelVersion | undefined;
}

/**
 * The promotion of the current challenger to champion, as it would execute now: ask for approval of exactly
 * `plan.action`. Fails with REGISTRY_NO_CHALLENGER when no version waits for review.
 */
export async function planPromotion(deps: RegistryDeps, model: string): Promise<AliasMovePlan> {
  const aliases = aliasMap(await getModel(deps, model));
  if (!aliases.challenger) {
    throw new RegistryError("REGISTRY_NO_CHALLENGER", `Model '${model}' has no challenger waiting for review.`, {
      hint: "A version becomes challenger when it passes the criteria and beats the champion by the margin.",
      context: { model, aliases },
    });
  }
  const version = await getVersion(deps, model, aliases.challenger);
  const fromVersion = aliases.champion ? await getVersion(deps, model, aliases.champion) : undefined;
  const action = promotionAction(model, version.version, fromVersion?.version);
  return { model, action, digest: registryActionDigest(action), version, fromVersion };
}

/**
 * The rollback of `champion` to the previous champion (from the alias history, else the `defeated` alias), as it
 * would execute now. Fails with REGISTRY_NO_PREVIOUS_CHAMPION when there is none.
 */
export async function planRollback(
  deps: RegistryDeps,
  model: string,
): Promise<AliasMovePlan & { fromVersion: ModelVersion }> {
  const aliases = aliasMap(await getModel(deps, model));
  if (!aliases.champion) {
    throw new RegistryError("REGISTRY_NO_CHAMPION", `Model '${model}' has no champion to roll back.`, {
      context: { model, aliases },
    });
  }
  const previous = (await previousChampion(deps.db, model, aliases.champion)) ?? aliases.defeated;
  if (!previous || previous === aliases.champion) {
    throw new RegistryError(
      "REGISTRY_NO_PREVIOUS_CHAMPION",
      `Model '${model}' has no previous champion to roll back to (champion is version ${aliases.champion}).`,
      { hint: `\`mlops registry history ${model}\` shows how the aliases moved.`, context: { model, aliases } },
    );
  }
  const version = await getVersion(deps, model, previous);
  const fromVersion = await getVersion(deps, model, aliases.champion);
  const action = rollbackAction(model, version.version, fromVersion.version);
  return { model, action, digest: registryActionDigest(action), version, fromVersion };
}
