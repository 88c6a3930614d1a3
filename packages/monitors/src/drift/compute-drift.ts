import type { Lakehouse, TableDescription } from "@mlops/lakehouse";
import { MonitorError } from "../monitor-error";
import { computeCategoricalDrift } from "./categorical-drift";
import { type DriftWindow, q, resolveWindows, type SourceColumn, windowSource } from "./drift-window";
import { computeNumericDrift, quantileAggregate } from "./numeric-drift";
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
}

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
  const sourceFor = (plan: ColumnPlan) => windowSource(windows, [sourceColumns[plans.indexOf(plan)]!]);
  const psiBins = options.psiBins ?? 10;
  const quantiles = Array.from({ length: psiBins - 1 }, (_, i) => (i + 1) / psiBins);

  const aggregates = ["count(*) FILTER (WHERE __w = 1) AS n_b", "count(*) FILTER (WHERE __w = 0) AS n_c"];
  for (const p of plans) {
    const c = `\`${p.alias}\``;
    aggregates.push(
      `count(${c}) FILTER (WHERE __w = 1) AS ${p.alias}_nn_b`,
      `count(${c}) FILTER (WHERE __w = 0) AS ${p.alias}_nn_c`,
    );
    if (wanted.has("distinct_count")) {
      aggregates.push(
        `count(DISTINCT ${c}) FILTER (WHERE __w = 1) AS ${p.alias}_d_b`,
        `count(DISTINCT ${c}) FILTER (WHERE __w = 0) AS ${p.alias}_d_c`,
      );
    }
    if (p.numeric) {
      aggregates.push(
        `avg(${c}) FILTER (WHERE __w = 1) AS ${p.alias}_m_b`,
        `avg(${c}) FILTER (WHERE __w = 0) AS ${p.alias}_m_c`,
        `min(${c}) AS ${p.alias}_lo`,
        `max(${c}) AS ${p.alias}_hi`,
      );
      if (wanted.has("psi") || wanted.has("js_distance")) {
        aggregates.push(`${quantileAggregate(lakehouse.engine, c, quantiles, "__w = 1")} AS ${p.alias}_qs`);
      }
    }
  }
  const profile = (
    await lakehouse.query(`SELECT ${aggregates.join(", ")} FROM (${windowSource(windows, sourceColumns)}) src`)
  ).rows[0]!;
  const baselineRows = num(profile.n_b);
  const currentRows = num(profile.n_c);
  if (baselineRows === 0 || currentRows === 0) {
    throw new MonitorError(
      "MONITOR_EMPTY_WINDOW",
      `The ${baselineRows === 0 ? "baseline" : "current"} window of ${options.table} has no rows.`,
      { hint: "Check the window's where-clause, time range or table.", context: { baselineRows, currentRows } },
    );
  }

  const values: StatisticValue[] = [];
  for (const p of plans) {
    const kind = p.numeric ? "numeric" : "categorical";
    const nb = num(profile[`${p.alias}_nn_b`]);
    const nc = num(profile[`${p.alias}_nn_c`]);
    const base = { column: p.name, kind, baselineCount: nb, currentCount: nc } as const;
    if (wanted.has("null_rate")) {
      const b = (baselineRows - nb) / baselineRows;
      const c = (currentRows - nc) / currentRows;
      values.push({ ...base, statistic: "null_rate", value: c - b, baselineValue: b, currentValue: c });
    }
    if (wanted.has("distinct_count")) {
      const b = num(profile[`${p.alias}_d_b`]);
      const c = num(profile[`${p.alias}_d_c`]);
      values.push({
        ...base,
        statistic: "distinct_count",
        value: c - b,
        baselineValue: b,
        currentValue: c,
        details: { relativeChange: b > 0 ? (c - b) / b : null },
      });
    }
    if (p.numeric && wanted.has("mean") && nb > 0 && nc > 0) {
      const b = num(profile[`${p.alias}_m_b`]);
      const c = num(profile[`${p.alias}_m_c`]);
      values.push({
        ...base,
        statistic: "mean",
        value: c - b,
        baselineValue: b,
        currentValue: c,
        details: { relativeChange: b !== 0 ? (c - b) / Math.abs(b) : null },
      });
    }
    if (nb === 0 || nc === 0) continue;
    if (p.numeric) {
      const needs = ["psi", "js_distance", "ks", "wasserstein"].some((s) => wanted.has(s as Statistic));
      if (!needs) continue;
      const rawEdges = profile[`${p.alias}_qs`];
      const edges = [...new Set((Array.isArray(rawEdges) ? rawEdges : []).map((e) => num(e)))].sort((a, b) => a - b);
      const drift = await computeNumericDrift({
        lakehouse,
        source: sourceFor(p),
        alias: p.alias,
        nb,
        nc,
        lo: num(profile[`${p.alias}_lo`]),
        hi: num(profile[`${p.alias}_hi`]),
        psiEdges: edges,
      });
      queries += 1 + Math.ceil(drift.bins.refined / 2000);
      if (wanted.has("psi")) values.push({ ...base, statistic: "psi", value: drift.psi, details: drift.psiBins });
      if (wanted.has("js_distance")) values.push({ ...base, statistic: "js_distance", value: drift.jsDistance });
      if (wanted.has("ks")) {
        values.push({
          ...base,
          statistic: "ks",
          value: drift.ks.statistic,
          pValue: drift.ks.pValue,
          details: { pValueMethod: "asymp", bins: drift.bins },
        });
      }
      if (wanted.has("wasserstein")) values.push({ ...base, statistic: "wasserstein", value: drift.wasserstein });
    } else {
      const needs = ["psi", "js_distance", "chi_square"].some((s) => wanted.has(s as Statistic));
      if (!needs) continue;
      const drift = await computeCategoricalDrift(lakehouse, sourceFor(p), p.alias);
      queries++;
      if (wanted.has("psi")) {
        values.push({ ...base, statistic: "psi", value: drift.psi, details: { categories: drift.categories } });
      }
      if (wanted.has("js_distance")) values.push({ ...base, statistic: "js_distance", value: drift.jsDistance });
      if (wanted.has("chi_square")) {
        values.push({
          ...base,
          statistic: "chi_square",
          value: drift.chiSquare.statistic,
          pValue: drift.chiSquare.pValue,
          details: { dof: drift.chiSquare.dof },
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
