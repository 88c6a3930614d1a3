import type { Statistic, StatisticValue } from "../drift/compute-drift";
import type { MonitorThresholds } from "./monitor-spec";

export const STATUSES = ["ok", "warn", "alert"] as const;
export type MonitorStatus = (typeof STATUSES)[number];

export interface JudgedValue extends StatisticValue {
  status: MonitorStatus;
  warnThreshold: number | null;
  alertThreshold: number | null;
  /** Why the status is what it is, when not plain (too few samples, p-value rule). */
  note?: string;
}

/** Per-column PSI thresholds derived from the baseline's own spread; they win over the fixed PSI levels. */
export type DerivedThresholds = Record<string, { warn: number; alert: number }>;

const byLevel = (value: number, levels: { warn: number; alert: number } | undefined): MonitorStatus => {
  if (!levels || !Number.isFinite(value)) return "ok";
  if (value >= levels.alert) return "alert";
  if (value >= levels.warn) return "warn";
  return "ok";
};

/** The worst of statuses: alert > warn > ok. */
export function worstStatus(statuses: Iterable<MonitorStatus>): MonitorStatus {
  let worst: MonitorStatus = "ok";
  for (const s of statuses) if (STATUSES.indexOf(s) > STATUSES.indexOf(worst)) worst = s;
  return worst;
}

/** Gives each statistic a status by the monitor's thresholds. */
export function judge(
  values: readonly StatisticValue[],
  thresholds: MonitorThresholds,
  derived: DerivedThresholds = {},
): JudgedValue[] {
  return values.map((v) => {
    const levels = (l: { warn: number; alert: number } | undefined, value = v.value): JudgedValue => ({
      ...v,
      status: byLevel(value, l),
      warnThreshold: l?.warn ?? null,
      alertThreshold: l?.alert ?? null,
    });
    const test = (rule: { pValue: number; minSamples: number }): JudgedValue => {
      if (Math.min(v.baselineCount, v.currentCount) < rule.minSamples) {
        return {
          ...v,
          status: "ok",
          warnThreshold: null,
          alertThreshold: rule.pValue,
          note: `fewer than ${rule.minSamples} values in a window`,
        };
      }
      const p = v.pValue ?? 1;
      return {
        ...v,
        status: p < rule.pValue ? "alert" : "ok",
        warnThreshold: null,
        alertThreshold: rule.pValue,
        note: "p-value rule",
      };
    };
    const statistic: Statistic = v.statistic;
    switch (statistic) {
      case "psi":
        return levels(derived[v.column] ?? thresholds.psi);
      case "ks":
        return test(thresholds.ks);
      case "chi_square":
        return test(thresholds.chiSquare);
      case "js_distance":
        return levels(thresholds.jsDistance);
      case "wasserstein":
        return levels(thresholds.wasserstein);
      case "null_rate":
        return levels(thresholds.nullRate);
      case "accuracy":
        return levels(thresholds.accuracyDrop, -v.value);
      default:
        return levels(undefined);
    }
  });
}
