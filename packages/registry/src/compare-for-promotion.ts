import type { ModelVersion, Run } from "@mlops/mlflow";
import { planPromotion } from "./promotion-plan";
import type { RegistryActionSpec } from "./registry-action";
import type { RegistryDeps } from "./registry-deps";
import { tagMap, tracked, versionMetrics } from "./tracking-calls";

export interface ComparedMetric {
  key: string;
  champion: number | undefined;
  challenger: number | undefined;
  /** challenger − champion. */
  difference: number | undefined;
}

export interface PromotionSide {
  version: string;
  runId: string;
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface PromotionComparison {
  model: string;
  challenger: PromotionSide;
  champion: PromotionSide | undefined;
  /** Every metric either side recorded (run metrics and version metric tags): accuracy, F1, latency, cost… */
  metrics: ComparedMetric[];
  /** Significance tests recorded on the challenger's run (tags or metrics named like `significance.*`, `p_value`). */
  significance: Record<string, string>;
  /** The exact action to approve for the promotion, and its digest. */
  action: RegistryActionSpec;
  digest: string;
}

const SIGNIFICANCE = /signific|p_?value|mcnemar|bootstrap|confidence/i;

async function side(deps: RegistryDeps, version: ModelVersion): Promise<PromotionSide> {
  let run: Run | undefined;
  if (version.run_id) {
    run = await tracked(deps, () => deps.mlflow.runs.get(version.run_id)).catch((error) => {
      if ((error as { code?: string }).code === "REGISTRY_TRACKING_UNREACHABLE") throw error;
      return undefined;
    });
  }
  return {
    version: version.version,
    runId: version.run_id,
    metrics: {
      ...Object.fromEntries((run?.data.metrics ?? []).map((m) => [m.key, m.value])),
      ...versionMetrics(version),
    },
    params: Object.fromEntries((run?.data.params ?? []).map((p) => [p.key, p.value])),
    tags: { ...tagMap(run?.data.tags ?? []), ...tagMap(version.tags) },
  };
}

/** Challenger and champion side by side, with every recorded metric, significance, and the action to approve. */
export async function compareForPromotion(deps: RegistryDeps, model: string): Promise<PromotionComparison> {
  const plan = await planPromotion(deps, model);
  const challenger = await side(deps, plan.version);
  const champion = plan.fromVersion ? await side(deps, plan.fromVersion) : undefined;
  const keys = [...new Set([...Object.keys(challenger.metrics), ...Object.keys(champion?.metrics ?? {})])].sort();
  const metrics = keys.map((key) => {
    const a = champion?.metrics[key];
    const b = challenger.metrics[key];
    return { key, champion: a, challenger: b, difference: a !== undefined && b !== undefined ? b - a : undefined };
  });
  const significance = Object.fromEntries([
    ...Object.entries(challenger.tags).filter(([k]) => SIGNIFICANCE.test(k)),
    ...Object.entries(challenger.metrics)
      .filter(([k]) => SIGNIFICANCE.test(k))
      .map(([k, v]) => [k, String(v)]),
  ]);
  return { model, challenger, champion, metrics, significance, action: plan.action, digest: plan.digest };
}
