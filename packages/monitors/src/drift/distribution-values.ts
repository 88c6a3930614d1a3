import type { CategoricalDrift } from "./categorical-drift";
import type { NumericDrift } from "./numeric-drift";
import type { BinnedNumericDrift } from "./numeric-drift-binned";
import { ksSampleErrorBound, type SampleFractions } from "./sampling";
import type { Statistic, StatisticValue } from "./statistic";

export interface DistributionValuesInput {
  /** The column's name, kind and non-null counts per window (over every row). */
  base: Pick<StatisticValue, "column" | "kind" | "baselineCount" | "currentCount">;
  drift: NumericDrift | BinnedNumericDrift | CategoricalDrift;
  /** Non-null values per window that `drift` was computed from (fewer than the counts when sampled). */
  used: { baseline: number; current: number };
  sampled: boolean;
  fractions: SampleFractions;
  wanted: ReadonlySet<Statistic>;
  /** False when a window has no values: only the distinct count is reported. */
  needsDrift: boolean;
}

/** The distribution statistics of one column as reported values, saying what a sample read and how far KS can be. */
export function distributionValues(input: DistributionValuesInput): StatisticValue[] {
  const { base, drift, used, sampled, fractions, wanted, needsDrift } = input;
  const values: StatisticValue[] = [];
  const sampleDetails = sampled
    ? {
        sample: {
          baselineRows: used.baseline,
          currentRows: used.current,
          baselineFraction: fractions.baseline,
          currentFraction: fractions.current,
        },
      }
    : {};
  if (wanted.has("distinct_count")) {
    values.push({ ...base, ...distinctCountChange(drift, used, base.baselineCount, base.currentCount, sampled) });
  }
  if (!needsDrift) return values;
  const divergence = { psi: drift.psi, js_distance: drift.jsDistance } as const;
  for (const statistic of ["psi", "js_distance"] as const) {
    if (!wanted.has(statistic)) continue;
    const bins = "psiBins" in drift ? drift.psiBins : { categories: drift.categories };
    values.push({
      ...base,
      statistic,
      value: divergence[statistic],
      details: { ...(statistic === "psi" ? bins : {}), ...sampleDetails },
    });
  }
  if ("ks" in drift) {
    if (wanted.has("ks")) {
      const binningGap = "binningGap" in drift ? drift.binningGap.ks : 0;
      values.push({
        ...base,
        statistic: "ks",
        value: drift.ks.statistic,
        pValue: drift.ks.pValue,
        details: {
          pValueMethod: "asymp",
          distinctValues: drift.values,
          ...sampleDetails,
          ...(sampled ? { errorBound95: ksSampleErrorBound(used, fractions) + binningGap } : {}),
        },
      });
    }
    if (wanted.has("wasserstein")) {
      values.push({ ...base, statistic: "wasserstein", value: drift.wasserstein, details: { ...sampleDetails } });
    }
  } else if (wanted.has("chi_square")) {
    values.push({
      ...base,
      statistic: "chi_square",
      value: drift.chiSquare.statistic,
      pValue: drift.chiSquare.pValue,
      details: { dof: drift.chiSquare.dof, ...sampleDetails },
    });
  }
  return values;
}

/** Distinct values of a window: exact, or the GEE estimate (Charikar et al.) from a sample's singletons. */
function distinctOf(distinct: number, singletons: number, sampled: number, full: number): number {
  return sampled >= full || sampled === 0
    ? distinct
    : Math.round(distinct - singletons + singletons * Math.sqrt(full / sampled));
}

/** The change in distinct values between the windows (estimated from the sample's singletons when sampled). */
function distinctCountChange(
  drift: { distinct: { baseline: number; current: number }; singletons: { baseline: number; current: number } },
  used: { baseline: number; current: number },
  baselineRows: number,
  currentRows: number,
  sampled: boolean,
) {
  const b = distinctOf(drift.distinct.baseline, drift.singletons.baseline, used.baseline, baselineRows);
  const c = distinctOf(drift.distinct.current, drift.singletons.current, used.current, currentRows);
  const counts = { sampledBaseline: used.baseline, sampledCurrent: used.current };
  return {
    statistic: "distinct_count" as const,
    value: c - b,
    baselineValue: b,
    currentValue: c,
    details: { relativeChange: b > 0 ? (c - b) / b : null, ...(sampled ? { estimate: "gee", ...counts } : {}) },
  };
}
