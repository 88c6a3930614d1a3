import type { Lakehouse } from "@mlops/lakehouse";
import { runDriftCheck } from "../drift/compute-drift";
import type { DriftWindow } from "../drift/drift-window";
import { MonitorError } from "../monitor-error";
import type { MonitorSpec } from "./monitor-spec";
import type { DerivedThresholds } from "./thresholds";

/** Derived thresholds never go below these, so a perfectly stable baseline does not alert on noise. */
const FLOOR = { warn: 0.02, alert: 0.05 };

/**
 * PSI thresholds per column from the baseline's own spread: the baseline window is cut into `slices` equal time
 * slices; each slice is compared with the whole baseline; warn = mean + warnSigmas·sd, alert = mean + alertSigmas·sd
 * of those PSIs (at least 0.02 / 0.05). Needs a time column and a baseline with `from` and `to` (or `last`).
 */
export async function deriveThresholds(options: {
  lakehouse: Lakehouse;
  spec: MonitorSpec;
  baseline: DriftWindow;
  slices: number;
  warnSigmas: number;
  alertSigmas: number;
}): Promise<DerivedThresholds> {
  const { spec, baseline, slices } = options;
  if (!spec.timeColumn || !baseline.from || !baseline.to) {
    throw new MonitorError("MONITOR_INVALID_SPEC", `Monitor ${spec.name}: derived thresholds need a time range.`, {
      hint: "Give timeColumn and a baseline window with from/to or last, or drop thresholds.derived.",
    });
  }
  const start = Date.parse(baseline.from);
  const step = (Date.parse(baseline.to) - start) / slices;
  const perColumn = new Map<string, number[]>();
  for (let i = 0; i < slices; i++) {
    const slice: DriftWindow = {
      ...baseline,
      from: new Date(start + i * step).toISOString(),
      to: new Date(start + (i + 1) * step).toISOString(),
    };
    const report = await runDriftCheck({
      lakehouse: options.lakehouse,
      table: spec.table,
      baseline,
      current: slice,
      timeColumn: spec.timeColumn,
      ...(spec.columns ? { columns: spec.columns } : {}),
      categoricalColumns: spec.categoricalColumns,
      statistics: ["psi"],
      psiBins: spec.psiBins,
    });
    for (const v of report.values) perColumn.set(v.column, [...(perColumn.get(v.column) ?? []), v.value]);
  }
  const out: DerivedThresholds = {};
  for (const [column, psis] of perColumn) {
    const mean = psis.reduce((s, v) => s + v, 0) / psis.length;
    const sd = Math.sqrt(psis.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, psis.length - 1));
    out[column] = {
      warn: Math.max(FLOOR.warn, mean + options.warnSigmas * sd),
      alert: Math.max(FLOOR.alert, mean + options.alertSigmas * sd),
    };
  }
  return out;
}
