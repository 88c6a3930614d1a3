import type { ProductionCriteria } from "./production-criteria";

/** The four metrics every gate reads; others (latency, cost…) are kept and shown but not gated. */
export const GATED_METRICS = ["accuracy", "f1", "precision", "recall"] as const;
export type GatedMetric = (typeof GATED_METRICS)[number];

export type VersionMetrics = Record<GatedMetric, number> & Record<string, number>;

/** Where a version lands: the alias it gets, or `rejected` (registered with production_ready=false, no alias). */
export type LifecycleRole = "champion" | "challenger" | "candidate" | "rejected";

export interface GateResult {
  gate: GatedMetric | "beats_champion";
  passed: boolean;
  value: number;
  threshold: number;
  message: string;
}

export interface VersionEvaluation {
  productionReady: boolean;
  /** One gate per criterion; `beats_champion` only when there is a champion to beat. */
  gates: GateResult[];
  /** `All performance criteria met`, or each failed gate with its numbers. Stored as the `validation_reason` tag. */
  validationReason: string;
  role: LifecycleRole;
  /** The champion compared against, if any. */
  champion: { version: string; accuracy: number } | undefined;
  /** Accuracy minus the champion's, when there is one. */
  accuracyGain: number | undefined;
}

const LABELS: Record<GatedMetric, string> = {
  accuracy: "Accuracy",
  f1: "F1",
  precision: "Precision",
  recall: "Recall",
};
const EPSILON = 1e-9;
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const fmt = (metric: GatedMetric, v: number) => (metric === "accuracy" ? pct(v) : v.toFixed(3));

/**
 * Applies the production criteria to a version's metrics and decides its place in the lifecycle: a failing
 * version is `rejected`; the first passing one is `champion`; one beating the champion by the margin is
 * `challenger` (it waits for review); any other passing one is `candidate`.
 */
export function evaluateVersion(
  metrics: VersionMetrics,
  criteria: ProductionCriteria,
  champion?: { version: string; accuracy: number },
): VersionEvaluation {
  const gates: GateResult[] = GATED_METRICS.map((metric) => {
    const value = metrics[metric];
    const threshold = criteria[metric];
    const passed = value + EPSILON >= threshold;
    return {
      gate: metric,
      passed,
      value,
      threshold,
      message: `${LABELS[metric]} ${fmt(metric, value)} ${passed ? "meets" : "below"} ${fmt(metric, threshold)} threshold`,
    };
  });
  const productionReady = gates.every((g) => g.passed);
  let accuracyGain: number | undefined;
  let beats = false;
  if (champion) {
    accuracyGain = metrics.accuracy - champion.accuracy;
    beats = accuracyGain + EPSILON >= criteria.beatChampionBy;
    gates.push({
      gate: "beats_champion",
      passed: beats,
      value: accuracyGain,
      threshold: criteria.beatChampionBy,
      message: `Accuracy ${accuracyGain >= 0 ? "+" : ""}${(accuracyGain * 100).toFixed(2)} points over champion v${champion.version} (${pct(champion.accuracy)}), ${beats ? "meets" : "below"} the +${(criteria.beatChampionBy * 100).toFixed(2)} points margin`,
    });
  }
  const failed = gates.filter((g) => !g.passed && g.gate !== "beats_champion");
  const validationReason = productionReady
    ? `All performance criteria met${champion ? `; ${gates.at(-1)?.message}` : ""}`
    : failed.map((g) => g.message).join("; ");
  let role: LifecycleRole;
  if (!productionReady) role = "rejected";
  else if (!champion) role = "champion";
  else role = beats ? "challenger" : "candidate";
  return { productionReady, gates, validationReason, role, champion, accuracyGain };
}

/** True when two versions have the same accuracy and F1 within `tolerance`. */
export function isSameResult(
  a: Pick<VersionMetrics, "accuracy" | "f1">,
  b: Pick<VersionMetrics, "accuracy" | "f1">,
  tolerance: number,
): boolean {
  return Math.abs(a.accuracy - b.accuracy) <= tolerance + EPSILON && Math.abs(a.f1 - b.f1) <= tolerance + EPSILON;
}
