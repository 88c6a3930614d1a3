import type { Lakehouse, TableDescription } from "@mlops/lakehouse";
import { MonitorError } from "../monitor-error";
import { computeCategoricalDrift } from "./categorical-drift";
import {
  type DriftWindow,
  q,
  resolveWindows,
  type SourceColumn,
  type WindowSample,
  windowSides,
  windowSource,
} from "./drift-window";
import { computeNumericDrift } from "./numeric-drift";
import { dbl, isNumericType, num } from "./sql-values";

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

export interface DriftCheckOptions {
  lakehouse: Lakehouse;
  /** The monitored table, `catalog.schema.table`. */
  table: string;
  baseline: DriftWindow;
  current: DriftWindow;
  timeColumn?: string;
  /** @defaultValue every column but the time column */
  columns?: string[];
  /** Columns compared by frequencies even if numeric (e.g. integer codes). */
  categoricalColumns?: string[];
  /** @defaultValue every applicable statistic */
  statistics?: readonly Statistic[];
  /** PSI bins (quantiles of the baseline). @defaultValue 10 */
  psiBins?: number;
  /** Model quality: accuracy of `prediction` against `label` per window, over rows where the label is known. */
  quality?: { predictionColumn: string; labelColumn: string };
  /**
   * Trade exactness for speed on large windows. `false` (the default): every statistic exact. `true` or
   * `{ sampleRows }`: when a window has more than `sampleRows` rows (default {@link APPROXIMATE_SAMPLE_ROWS}), the
   * distribution statistics (psi, js_distance, ks, wasserstein, chi_square) are computed exactly on a block sample of
   * about `sampleRows` rows per window (engine TABLESAMPLE, fixed seed; the KS p-value uses the sample sizes), and
   * distinct_count is estimated from that sample (GEE estimator: d − f1 + f1/√q). null_rate, mean and accuracy stay
   * exact. Windows no larger than `sampleRows` are computed exactly either way.
   */
  approximate?: boolean | { sampleRows?: number };
}

/** Rows per window that `approximate: true` samples. */
export const APPROXIMATE_SAMPLE_ROWS = 50_000;

export interface DriftReport {
  table: string;
  engine: string;
  baselineRows: number;
  currentRows: number;
  values: StatisticValue[];
  /** Engine queries run and wall time: everything stayed in the engine but these aggregates. */
  queries: number;
  elapsedMs: number;
}

interface ColumnPlan {
  name: string;
  alias: string;
  numeric: boolean;
}

/** Every statistic between two windows of a table, computed by SQL in the lakehouse engine. */
export async function runDriftCheck(options: DriftCheckOptions): Promise<DriftReport> {
  const started = Date.now();
  const { lakehouse } = options;
  const wanted = new Set<Statistic>(options.statistics ?? STATISTICS);
  const windows = resolveWindows(lakehouse, options.table, options, options.timeColumn);
  const description = await lakehouse.describeTable(windows.current.table);
  const plans = planColumns(description, options);
  let queries = 1;

  const sourceColumns: SourceColumn[] = plans.map((p) => ({
    expression: p.numeric ? `CAST(${q(p.name)} AS DOUBLE)` : `CAST(${q(p.name)} AS STRING)`,
    alias: p.alias,
  }));
  const psiBins = options.psiBins ?? 10;
  const quantiles = Array.from({ length: psiBins - 1 }, (_, i) => (i + 1) / psiBins);

  // Profile: one aggregate per window over every column (row counts, non-null counts, means); exact always.
  const aggregates = ["count(*) AS n"];
  for (const p of plans) {
    const c = `\`${p.alias}\``;
    aggregates.push(`count(${c}) AS ${p.alias}_nn`);
    if (p.numeric) aggregates.push(`avg(${c}) AS ${p.alias}_m`);
  }
  const profileRows = (
    await lakehouse.query(
      windowSides(windows, sourceColumns)
        .map((side, i) => `SELECT ${1 - i} AS __w, ${aggregates.join(", ")} FROM (${side}) src`)
        .join(" UNION ALL "),
    )
  ).rows;
  const profileB = profileRows.find((r) => num(r.__w) === 1) ?? {};
  const profileC = profileRows.find((r) => num(r.__w) === 0) ?? {};
  const baselineRows = num(profileB.n) || 0;
  const currentRows = num(profileC.n) || 0;
  if (baselineRows === 0 || currentRows === 0) {
    throw new MonitorError(
      "MONITOR_EMPTY_WINDOW",
      `The ${baselineRows === 0 ? "baseline" : "current"} window of ${options.table} has no rows.`,
      { hint: "Check the window's where-clause, time range or table.", context: { baselineRows, currentRows } },
    );
  }

  const sampleRows = options.approximate
    ? Math.max(
        1,
        (typeof options.approximate === "object" ? options.approximate.sampleRows : undefined) ??
          APPROXIMATE_SAMPLE_ROWS,
      )
    : Number.POSITIVE_INFINITY;
  const sample: WindowSample | undefined =
    baselineRows > sampleRows || currentRows > sampleRows
      ? {
          engine: lakehouse.engine,
          baseline: Math.min(1, sampleRows / baselineRows),
          current: Math.min(1, sampleRows / currentRows),
        }
      : undefined;
  const sourceFor = (plan: ColumnPlan, sampled: boolean) =>
    windowSource(windows, [sourceColumns[plans.indexOf(plan)]!], sampled ? sample : undefined);
  /** GEE estimate of the distinct values of a window from a sample of fraction q: d − f1 + f1/√q. */
  const values: StatisticValue[] = [];
  for (const p of plans) {
    const kind = p.numeric ? "numeric" : "categorical";
    const nb = num(profileB[`${p.alias}_nn`]) || 0;
    const nc = num(profileC[`${p.alias}_nn`]) || 0;
    const base = { column: p.name, kind, baselineCount: nb, currentCount: nc } as const;
    if (wanted.has("null_rate")) {
      const b = (baselineRows - nb) / baselineRows;
      const c = (currentRows - nc) / currentRows;
      values.push({ ...base, statistic: "null_rate", value: c - b, baselineValue: b, currentValue: c });
    }
    if (p.numeric && wanted.has("mean") && nb > 0 && nc > 0) {
      const b = num(profileB[`${p.alias}_m`]);
      const c = num(profileC[`${p.alias}_m`]);
      values.push({
        ...base,
        statistic: "mean",
        value: c - b,
        baselineValue: b,
        currentValue: c,
        details: { relativeChange: b !== 0 ? (c - b) / Math.abs(b) : null },
      });
    }
    const drifts = p.numeric
      ? (["psi", "js_distance", "ks", "wasserstein"] as const)
      : (["psi", "js_distance", "chi_square"] as const);
    const needsDrift = nb > 0 && nc > 0 && drifts.some((s) => wanted.has(s));
    if (!needsDrift && !wanted.has("distinct_count")) continue;

    // One grouped query per column gives its distinct counts and every distribution statistic.
    let sampled = sample !== undefined;
    const run = async <T extends { counts: { baseline: number; current: number } }>(
      compute: (s: string) => Promise<T>,
    ) => {
      let result = await compute(sourceFor(p, sampled));
      queries++;
      if (sampled && (result.counts.baseline === 0 || result.counts.current === 0) && nb > 0 && nc > 0) {
        sampled = false; // the sample missed a window: read it all
        result = await compute(sourceFor(p, false));
        queries++;
      }
      return result;
    };
    if (p.numeric) {
      const drift = await run((source) =>
        computeNumericDrift({ lakehouse, source, alias: p.alias, psiQuantiles: quantiles }),
      );
      const used = drift.counts;
      const approximation = sampled ? { approximate: true } : {};
      const counts = sampled ? { sampledBaseline: used.baseline, sampledCurrent: used.current } : {};
      if (wanted.has("distinct_count")) values.push({ ...base, ...distinctCountChange(drift, used, nb, nc, sampled) });
      if (!needsDrift) continue;
      if (wanted.has("psi")) {
        values.push({
          ...base,
          statistic: "psi",
          value: drift.psi,
          details: { ...drift.psiBins, ...approximation, ...counts },
        });
      }
      if (wanted.has("js_distance")) {
        values.push({
          ...base,
          statistic: "js_distance",
          value: drift.jsDistance,
          details: { ...approximation, ...counts },
        });
      }
      if (wanted.has("ks")) {
        values.push({
          ...base,
          statistic: "ks",
          value: drift.ks.statistic,
          pValue: drift.ks.pValue,
          details: { pValueMethod: "asymp", distinctValues: drift.values, ...approximation, ...counts },
        });
      }
      if (wanted.has("wasserstein")) {
        values.push({
          ...base,
          statistic: "wasserstein",
          value: drift.wasserstein,
          details: { ...approximation, ...counts },
        });
      }
    } else {
      const drift = await run(async (source) => {
        const d = await computeCategoricalDrift(lakehouse, source, p.alias);
        const sum = (xs: number[]) => xs.reduce((acc, v) => acc + v, 0);
        return {
          ...d,
          counts: {
            baseline: sum(d.categories.map((c) => c.baseline)),
            current: sum(d.categories.map((c) => c.current)),
          },
        };
      });
      const used = drift.counts;
      const approximation = sampled ? { approximate: true } : {};
      const counts = sampled ? { sampledBaseline: used.baseline, sampledCurrent: used.current } : {};
      if (wanted.has("distinct_count")) values.push({ ...base, ...distinctCountChange(drift, used, nb, nc, sampled) });
      if (!needsDrift) continue;
      if (wanted.has("psi")) {
        values.push({
          ...base,
          statistic: "psi",
          value: drift.psi,
          details: { categories: drift.categories, ...approximation, ...counts },
        });
      }
      if (wanted.has("js_distance")) {
        values.push({
          ...base,
          statistic: "js_distance",
          value: drift.jsDistance,
          details: { ...approximation, ...counts },
        });
      }
      if (wanted.has("chi_square")) {
        values.push({
          ...base,
          statistic: "chi_square",
          value: drift.chiSquare.statistic,
          pValue: drift.chiSquare.pValue,
          details: { dof: drift.chiSquare.dof, ...approximation, ...counts },
        });
      }
    }
  }

  if (options.quality && wanted.has("accuracy")) {
    const { predictionColumn, labelColumn } = options.quality;
    const source = windowSource(windows, [
      { expression: `CAST(${q(predictionColumn)} AS STRING)`, alias: "prediction" },
      { expression: `CAST(${q(labelColumn)} AS STRING)`, alias: "label" },
    ]);
    const { rows } = await lakehouse.query(
      `SELECT __w, count(*) AS n, avg(CASE WHEN prediction = label THEN ${dbl(1)} ELSE ${dbl(0)} END) AS acc
       FROM (${source}) src WHERE label IS NOT NULL GROUP BY __w`,
    );
    queries++;
    const side = (w: number) => rows.find((r) => num(r.__w) === w);
    const b = side(1);
    const c = side(0);
    if (b && c) {
      values.push({
        column: predictionColumn,
        kind: "model",
        statistic: "accuracy",
        value: num(c.acc) - num(b.acc),
        baselineValue: num(b.acc),
        currentValue: num(c.acc),
        baselineCount: num(b.n),
        currentCount: num(c.n),
        details: { labelColumn },
      });
    }
  }

  return {
    table: options.table,
    engine: lakehouse.engine,
    baselineRows,
    currentRows,
    values,
    queries,
    elapsedMs: Date.now() - started,
  };
}

function planColumns(description: TableDescription, options: DriftCheckOptions): ColumnPlan[] {
  const byName = new Map(description.columns.map((c) => [c.name.toLowerCase(), c]));
  const names =
    options.columns ??
    description.columns.map((c) => c.name).filter((n) => n.toLowerCase() !== options.timeColumn?.toLowerCase());
  const categorical = new Set((options.categoricalColumns ?? []).map((c) => c.toLowerCase()));
  return names.map((name, i) => {
    const column = byName.get(name.toLowerCase());
    if (!column) {
      throw new MonitorError("MONITOR_COLUMN_NOT_FOUND", `Column ${name} is not in ${options.table}.`, {
        hint: `Columns: ${description.columns.map((c) => c.name).join(", ")}.`,
        context: { column: name, table: options.table },
      });
    }
    return {
      name: column.name,
      alias: `c${i}`,
      numeric: isNumericType(column.type) && !categorical.has(name.toLowerCase()),
    };
  });
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
