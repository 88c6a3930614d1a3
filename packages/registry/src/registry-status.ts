import { DEFAULT_CRITERIA, type ProductionCriteria } from "./production-criteria";
import type { RegistryDeps } from "./registry-deps";
import { aliasMap, getModel, listVersions, tagMap, versionMetrics } from "./tracking-calls";

export interface VersionStatus {
  version: string;
  runId: string;
  source: string;
  aliases: string[];
  productionReady: boolean | undefined;
  validationReason: string | undefined;
  role: string | undefined;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  createdAt: string | undefined;
}

export interface RegistryStatus {
  model: string;
  aliases: Record<string, string>;
  versions: VersionStatus[];
  criteria: ProductionCriteria;
  /** A challenger waits for review. */
  awaitingReview: boolean;
}

/** Versions, aliases and gate results of one model: what `mlops registry status` shows. */
export async function getRegistryStatus(deps: RegistryDeps, model: string): Promise<RegistryStatus> {
  const registered = await getModel(deps, model);
  const versions = await listVersions(deps, model);
  const aliases = aliasMap(registered);
  return {
    model,
    aliases,
    criteria: deps.criteria ?? DEFAULT_CRITERIA,
    awaitingReview: aliases.challenger !== undefined,
    versions: versions.map((v) => {
      const tags = tagMap(v.tags);
      const ready = tags.production_ready;
      return {
        version: v.version,
        runId: v.run_id,
        source: v.source,
        aliases: v.aliases,
        productionReady: ready === undefined ? undefined : ready === "true",
        validationReason: tags.validation_reason,
        role: tags.lifecycle_role,
        metrics: versionMetrics(v),
        tags,
        createdAt: v.creation_timestamp ? new Date(v.creation_timestamp).toISOString() : undefined,
      };
    }),
  };
}
