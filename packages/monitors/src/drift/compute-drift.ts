import type { Lakehouse, Row, TableDescription } from "@mlops/lakehouse";
import { MonitorError } from "../monitor-error";
import { categoricalDriftSql, readCategoricalDrift } from "./categorical-drift";
import { distributionValues } from "./distribution-values";
import {
  type DriftWindow,
  q,
  type ResolvedWindows,
  resolveWindows,
  type SourceColumn,
  windowSource,
} from "./drift-window";
import { numericDriftSql, readNumericDrift } from "./numeric-drift";
import { binnedNumericDriftSql, readBinnedNumericDrift } from "./numeric-drift-binned";
import { type Sampling, sampleFractions } from "./sampling";
import { dbl, isNumericType, num } from "./sql-values";
import { STATISTICS, type Statistic, type StatisticValue } from "./statistic";
import { profileWindows } from "./window-profile";
import { SAMPLE_CTE, type SampleRelation, sampleRelation } from "./window-sample";

export { STATISTICS, type Statistic, type StatisticValue };

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
   * Exact, or the distribution statistics of large windows on a uniform row sample (see {@link Sampling}).
   * @defaultValue "auto": exact up to 1,000,000 rows per window, a 50,000-row sample of a larger window
   */
  sampling?: Sampling;
}

export interface DriftReport {
  table: string;
  engine: string;
  baselineRows: number;
  currentRows: number;
  /**
   * Present when a window was sampled: the fraction of each window read for the distribution statistics (1: all of
   * it). Row counts, null rates, means and accuracy always cover every row.
   */
  sample?: { baselineFraction: number; currentFraction: number };
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

  const sourceColumns = new Map<string, SourceColumn>(
    plans.map((p) => [
      p.alias,
      { expression: p.numeric ? `CAST(${q(p.name)} AS DOUBLE)` : `CAST(${q(p.name)} AS STRING)`, alias: p.alias },
    ]),
  );
  const sourcesOf = (columns: readonly ColumnPlan[]) => columns.map((p) => sourceColumns.get(p.alias)!);
  const psiBins = options.psiBins ?? 10;
  const quantiles = Array.from({ length: psiBins - 1 }, (_, i) => (i + 1) / psiBins);

  // Profile: row counts, non-null counts and sums per window over every row; exact always.
  const profile = await profileWindows(
    lakehouse,
    windows,
    sourcesOf(plans),
    new Set(plans.filter((p) => p.numeric).map((p) => p.alias)),
  );
  const baselineRows = profile.baseline.rows;
  const currentRows = profile.current.rows;
  if (baselineRows === 0 || currentRows === 0) {
    throw new MonitorError(
      "MONITOR_EMPTY_WINDOW",
      `The ${baselineRows === 0 ? "baseline" : "current"} window of ${options.table} has no rows.`,
      { hint: "Check the window's where-clause, time range or table.", context: { baselineRows, currentRows } },
    );
  }

  const fractions = sampleFractions(options.sampling ?? "auto", baselineRows, currentRows);
  const sampled = fractions.baseline < 1 || fractions.current < 1;
  const columnStats = plans.map((p) => {
    const nb = profile.baseline.nonNull.get(p.alias) ?? 0;
    const nc = profile.current.nonNull.get(p.alias) ?? 0;
    const drifts = p.numeric ? NUMERIC_DRIFTS : CATEGORICAL_DRIFTS;
    const needsDrift = nb > 0 && nc > 0 && drifts.some((s) => wanted.has(s));
    return { plan: p, nb, nc, needsDrift, needsDistribution: needsDrift || wanted.has("distinct_count") };
  });
  const distributed = columnStats.filter((c) => c.needsDistribution).map((c) => c.plan);

  // Distribution statistics: exact over every row (one statement per column), or on the sample (every column in one
  // statement on DuckDB, numeric columns binned).
  const numericSql = (source: string, onSample: boolean) =>
    onSample
      ? binnedNumericDriftSql(source, quantiles, lakehouse.engine)
      : numericDriftSql(source, quantiles, lakehouse.engine);
  const categoricalSql = (source: string) => categoricalDriftSql(source);
  const exactRows = (column: ColumnPlan) =>
    columnRows(lakehouse, windows, sourceColumns.get(column.alias)!, (source) =>
      column.numeric ? numericSql(source, false) : categoricalSql(source),
    );
  const sample = sampled
    ? await sampleRelation(
        lakehouse,
        windows,
        sourcesOf(distributed),
        fractions,
        baselineRows + currentRows,
        description,
      )
    : undefined;
  const rowsByAlias = new Map<string, Row[]>();
  if (sample) {
    const numeric = distributed.filter((p) => p.numeric);
    const categorical = distributed.filter((p) => !p.numeric);
    const parts = [
      ...(numeric.length > 0 ? [numericSql(sample.longRows(sourcesOf(numeric)), true)] : []),
      ...(categorical.length > 0 ? [categoricalSql(sample.longRows(sourcesOf(categorical), numeric.length))] : []),
    ];
    const read = await sampledRows(lakehouse, sample, sourcesOf([...numeric, ...categorical]), parts);
    for (const [alias, rows] of read.rows) rowsByAlias.set(alias, rows);
    queries += read.queries;
  } else {
    for (const column of distributed) {
      for (const [alias, rows] of await exactRows(column)) rowsByAlias.set(alias, rows);
      queries++;
    }
  }

  const values: StatisticValue[] = [];
  for (const { plan: p, nb, nc, needsDrift, needsDistribution } of columnStats) {
    const kind = p.numeric ? "numeric" : "categorical";
    const base = { column: p.name, kind, baselineCount: nb, currentCount: nc } as const;
    if (wanted.has("null_rate")) {
      const b = (baselineRows - nb) / baselineRows;
      const c = (currentRows - nc) / currentRows;
      values.push({ ...base, statistic: "null_rate", value: c - b, baselineValue: b, currentValue: c });
    }
    if (p.numeric && wanted.has("mean") && nb > 0 && nc > 0) {
      const b = (profile.baseline.sums.get(p.alias) ?? 0) / nb;
      const c = (profile.current.sums.get(p.alias) ?? 0) / nc;
      values.push({
        ...base,
        statistic: "mean",
        value: c - b,
        baselineValue: b,
        currentValue: c,
        details: { relativeChange: b !== 0 ? (c - b) / Math.abs(b) : null },
      });
    }
    if (!needsDistribution) continue;

    let rows = rowsByAlias.get(p.alias) ?? [];
    let used = countedValues(p, rows);
    let columnSampled = sampled;
    if (sampled && nb > 0 && nc > 0 && (used.baseline === 0 || used.current === 0)) {
      // The sample caught no value of a window (a column almost all null, say): read the column in full.
      rows = (await exactRows(p)).get(p.alias) ?? [];
      queries++;
      used = countedValues(p, rows);
      columnSampled = false;
    }
    const drift = p.numeric
      ? columnSampled
        ? readBinnedNumericDrift(rows[0] ?? {}, quantiles)
        : readNumericDrift(rows[0] ?? {}, quantiles)
      : readCategoricalDrift(rows);
    values.push(...distributionValues({ base, drift, used, sampled: columnSampled, fractions, wanted, needsDrift }));
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
    ...(sampled ? { sample: { baselineFraction: fractions.baseline, currentFraction: fractions.current } } : {}),
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

const NUMERIC_DRIFTS = ["psi", "js_distance", "ks", "wasserstein"] as const;
const CATEGORICAL_DRIFTS = ["psi", "js_distance", "chi_square"] as const;

/** Non-null values per window that a column's distribution rows counted. */
function countedValues(column: ColumnPlan, rows: readonly Row[]): { baseline: number; current: number } {
  if (column.numeric) {
    const row = rows[0] ?? {};
    return { baseline: num(row.n_b) || 0, current: num(row.n_c) || 0 };
  }
  const sum = (key: string) => rows.reduce((acc, r) => acc + (num(r[key]) || 0), 0);
  return { baseline: sum("nb"), current: sum("nc") };
}

/** Rows of a distribution statement (`sqlOf` over `__col, __w, x` rows) by column alias. */
function byAlias(rows: readonly Row[], columns: readonly SourceColumn[]): Map<string, Row[]> {
  const grouped = new Map<string, Row[]>(columns.map((c) => [c.alias, []]));
  for (const row of rows) grouped.get(columns[num(row.__col)]?.alias ?? "")?.push(row);
  return grouped;
}

/** One column read in full: its own statement, so no more than one column's distinct values are held at a time. */
async function columnRows(
  lakehouse: Lakehouse,
  windows: ResolvedWindows,
  column: SourceColumn,
  sqlOf: (source: string) => string,
): Promise<Map<string, Row[]>> {
  const source = `SELECT 0 AS __col, __w, \`${column.alias}\` AS x FROM (${windowSource(windows, [column])}) src`;
  return byAlias((await lakehouse.query(sqlOf(source))).rows, [column]);
}

/**
 * The distribution statements over the sample (`__col` indexes `columns`). On DuckDB they run as one statement, their
 * rows joined by name, so the sample is read once (a materialized CTE) for every column; elsewhere one statement each.
 */
async function sampledRows(
  lakehouse: Lakehouse,
  sample: SampleRelation,
  columns: readonly SourceColumn[],
  parts: readonly string[],
): Promise<{ rows: Map<string, Row[]>; queries: number }> {
  if (parts.length === 0) return { rows: new Map(), queries: 0 };
  const statements =
    lakehouse.engine === "duckdb"
      ? [
          `WITH ${SAMPLE_CTE} AS MATERIALIZED (${sample.sql}) ${parts
            .map((part) => `SELECT * FROM (${part}) t`)
            .join(" UNION ALL BY NAME ")}`,
        ]
      : parts.map((part) => `WITH ${SAMPLE_CTE} AS (${sample.sql}) SELECT * FROM (${part}) t`);
  const rows: Row[] = [];
  for (const sql of statements) rows.push(...(await lakehouse.query(sql)).rows);
  return { rows: byAlias(rows, columns), queries: statements.length };
}
