export const STATISTICS = [
  "psi",
  "ks",
  "chi_square",
  "js_distance",
  "wasserstein",
  "null_rate",
  "distinct_count",
  "mean",
  "accuracy",
] as const;
export type Statistic = (typeof STATISTICS)[number];

/** One statistic of one column between the two windows. */
export interface StatisticValue {
  column: string;
  kind: "numeric" | "categorical" | "model";
  statistic: Statistic;
  /** The statistic: PSI, KS D, chi-square, JS distance, W1, or the current − baseline change for profiles. */
  value: number;
  pValue?: number;
  baselineValue?: number;
  currentValue?: number;
  baselineCount: number;
  currentCount: number;
  details?: Record<string, unknown>;
}
