import { z } from "zod";

/** The `governance:` section of mlops.config.yaml, as far as experiments read it. */
export const governanceSchema = z
  .object({
    /** Only internal-track models (workspace-hosted or local) may be recommended. @defaultValue false */
    requireInternal: z.boolean().default(false),
  })
  .loose();
export type Governance = z.output<typeof governanceSchema>;

/** What the decision needs to know about one model that finished. */
export interface DecisionCandidate {
  model: string;
  track: "internal" | "external";
  /** Accuracy on the primary task (category, or sentiment when there is no category task). */
  accuracy: number;
  /** USD per 1,000 items. */
  costPer1k: number;
}

export interface DecisionRule {
  /** Accuracy difference (0..1) under which a cheaper model is preferred. @defaultValue 0.05 */
  maxAccuracyGap: number;
  /** Saving (0..1) above which a cheaper model is preferred. @defaultValue 0.5 */
  minCostSaving: number;
}

export const DEFAULT_DECISION_RULE: DecisionRule = { maxAccuracyGap: 0.05, minCostSaving: 0.5 };

/** The recommendation and the numbers behind it. */
export interface Decision {
  /** Undefined when no model finished (or none passes governance). */
  model: string | undefined;
  rule: "cheaper-within-accuracy-gap" | "governance-internal" | "most-accurate" | "none";
  /** The most accurate candidate the rule started from. */
  mostAccurate: string | undefined;
  accuracyGap: number | undefined;
  costSaving: number | undefined;
  governance: Governance;
  /** Sentences that explain the choice with its numbers. */
  reasons: string[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const usd = (x: number) => `$${x.toFixed(4)}`;

/**
 * The rule: if the accuracy difference to the most accurate model is under 5 points and the cost saving is over
 * 50%, prefer the cheaper one; if governance requires it, only internal-track models are considered; otherwise the
 * most accurate. Ties on accuracy go to the cheaper model, then to the name.
 */
export function recommendModel(
  candidates: readonly DecisionCandidate[],
  governanceInput: Partial<Governance> = {},
  rule: DecisionRule = DEFAULT_DECISION_RULE,
): Decision {
  const governance = governanceSchema.parse(governanceInput);
  const reasons: string[] = [];
  let pool = [...candidates];
  if (governance.requireInternal) {
    pool = pool.filter((c) => c.track === "internal");
    reasons.push(
      `Governance requires the internal track: considering ${pool.map((c) => c.model).join(", ") || "no model"}` +
        ` (left out: ${
          candidates
            .filter((c) => c.track !== "internal")
            .map((c) => c.model)
            .join(", ") || "none"
        }).`,
    );
  }
  if (pool.length === 0) {
    reasons.push("No model finished that could be recommended.");
    return {
      model: undefined,
      rule: "none",
      mostAccurate: undefined,
      accuracyGap: undefined,
      costSaving: undefined,
      governance,
      reasons,
    };
  }
  const ranked = pool.sort(
    (a, b) => b.accuracy - a.accuracy || a.costPer1k - b.costPer1k || a.model.localeCompare(b.model),
  );
  const best = ranked[0]!;
  reasons.push(`Most accurate: ${best.model} at ${pct(best.accuracy)}, ${usd(best.costPer1k)} per 1k items.`);
  const cheaper = ranked.find(
    (c) =>
      c !== best &&
      best.accuracy - c.accuracy < rule.maxAccuracyGap &&
      best.costPer1k > 0 &&
      1 - c.costPer1k / best.costPer1k > rule.minCostSaving,
  );
  if (cheaper) {
    const gap = best.accuracy - cheaper.accuracy;
    const saving = 1 - cheaper.costPer1k / best.costPer1k;
    reasons.push(
      `${cheaper.model} is ${(gap * 100).toFixed(1)} points less accurate (under ${rule.maxAccuracyGap * 100}) ` +
        `and ${pct(saving)} cheaper (over ${pct(rule.minCostSaving)}): ${usd(cheaper.costPer1k)} vs ${usd(best.costPer1k)} per 1k items.`,
    );
    return {
      model: cheaper.model,
      rule: "cheaper-within-accuracy-gap",
      mostAccurate: best.model,
      accuracyGap: gap,
      costSaving: saving,
      governance,
      reasons,
    };
  }
  const runnerUp = ranked[1];
  if (runnerUp) {
    const gap = best.accuracy - runnerUp.accuracy;
    const saving = best.costPer1k > 0 ? 1 - runnerUp.costPer1k / best.costPer1k : 0;
    reasons.push(
      `Runner-up ${runnerUp.model}: ${(gap * 100).toFixed(1)} points behind, ${pct(saving)} cheaper — ` +
        "not enough to prefer it (needs < 5 points and > 50% cheaper).",
    );
  }
  return {
    model: best.model,
    rule: governance.requireInternal ? "governance-internal" : "most-accurate",
    mostAccurate: best.model,
    accuracyGap: runnerUp ? best.accuracy - runnerUp.accuracy : undefined,
    costSaving: undefined,
    governance,
    reasons,
  };
}
