import { type Lakehouse, parseTableName, quoteIdentifier, quoteTableName, type TableName } from "@mlops/lakehouse";
import { MonitorError } from "../monitor-error";

/**
 * One side of a comparison: rows of `table` (default: the check's table) that match `where` (a SQL condition) and,
 * when the check has a time column, fall in [from, to).
 */
export interface DriftWindow {
  table?: string;
  where?: string;
  /** Inclusive start, ISO timestamp; needs a time column. */
  from?: string;
  /** Exclusive end, ISO timestamp; needs a time column. */
  to?: string;
}

export interface ResolvedWindows {
  baseline: { table: TableName; condition: string };
  current: { table: TableName; condition: string };
}

/** Backtick quoting: the DuckDB engine rewrites it to double quotes, Databricks reads it as is. */
export const q = (identifier: string) => quoteIdentifier(identifier, "databricks");
export const qt = (name: TableName) => quoteTableName(name, "databricks");
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

function condition(window: DriftWindow, timeColumn: string | undefined, side: string): string {
  const parts: string[] = [];
  if (window.where?.trim()) parts.push(`(${window.where})`);
  for (const [bound, op] of [
    [window.from, ">="],
    [window.to, "<"],
  ] as const) {
    if (bound === undefined) continue;
    if (!timeColumn) {
      throw new MonitorError("MONITOR_INVALID_ARGUMENT", `The ${side} window has a time range but no time column.`, {
        hint: "Set timeColumn, or select the window with a where-clause or a table.",
      });
    }
    if (Number.isNaN(Date.parse(bound))) {
      throw new MonitorError("MONITOR_INVALID_ARGUMENT", `The ${side} window bound ${bound} is not a timestamp.`, {
        hint: "Use an ISO timestamp such as 2025-01-31T00:00:00Z.",
      });
    }
    parts.push(`${q(timeColumn)} ${op} CAST(${literal(new Date(bound).toISOString().replace("Z", ""))} AS TIMESTAMP)`);
  }
  return parts.length > 0 ? parts.join(" AND ") : "1 = 1";
}

export function resolveWindows(
  lakehouse: Lakehouse,
  table: string,
  windows: { baseline: DriftWindow; current: DriftWindow },
  timeColumn: string | undefined,
): ResolvedWindows {
  const name = (t: string | undefined) => parseTableName(t ?? table, lakehouse.defaults);
  return {
    baseline: { table: name(windows.baseline.table), condition: condition(windows.baseline, timeColumn, "baseline") },
    current: { table: name(windows.current.table), condition: condition(windows.current, timeColumn, "current") },
  };
}

/** A column read from both windows: `expression` over the source table, exposed under `alias`. */
export interface SourceColumn {
  expression: string;
  alias: string;
}

/** A fraction of each window's rows to read (engine block sampling, fixed seed), for approximate statistics. */
export interface WindowSample {
  engine: "duckdb" | "databricks";
  baseline: number;
  current: number;
}

/** Block sampling of `fraction` (0 < fraction < 1) of a table, with a fixed seed so reruns read the same rows. */
function sampleClause(engine: WindowSample["engine"], fraction: number): string {
  const percent = Number((fraction * 100).toPrecision(6));
  return engine === "duckdb"
    ? ` TABLESAMPLE ${percent}% (system, 20250101)`
    : ` TABLESAMPLE (${percent} PERCENT) REPEATABLE (20250101)`;
}

/** The two sides of {@link windowSource}: `SELECT 1 AS __w, … FROM baseline`, `SELECT 0 AS __w, … FROM current`. */
export function windowSides(
  windows: ResolvedWindows,
  columns: readonly SourceColumn[],
  sample?: WindowSample,
): [baseline: string, current: string] {
  const select = columns.map((c) => `${c.expression} AS ${q(c.alias)}`).join(", ");
  const side = (w: { table: TableName; condition: string }, flag: number, fraction: number | undefined) =>
    `SELECT ${flag} AS __w${select ? `, ${select}` : ""} FROM ${qt(w.table)}${
      sample && fraction !== undefined && fraction < 1 ? sampleClause(sample.engine, fraction) : ""
    } WHERE ${w.condition}`;
  return [side(windows.baseline, 1, sample?.baseline), side(windows.current, 0, sample?.current)];
}

/**
 * `SELECT 1 AS __w, … FROM baseline UNION ALL SELECT 0 AS __w, … FROM current`: both windows, labelled; with
 * `sample`, each side reads about that fraction of its table's rows.
 */
export function windowSource(
  windows: ResolvedWindows,
  columns: readonly SourceColumn[],
  sample?: WindowSample,
): string {
  return windowSides(windows, columns, sample).join(" UNION ALL ");
}
