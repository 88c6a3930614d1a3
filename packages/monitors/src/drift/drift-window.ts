import { type Lakehouse, parseTableName, quoteIdentifier, quoteTableName, type TableName } from "@mlops/lakehouse";
import { MonitorError } from "../monitor-error";
import type { SampleSql } from "./sampling";

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

/** Per side, how to sample it (see sampleSql); a side without one is read in full. */
export interface WindowSamples {
  baseline?: SampleSql;
  current?: SampleSql;
}

/** The two sides of {@link windowSource}: `SELECT 1 AS __w, … FROM baseline`, `SELECT 0 AS __w, … FROM current`. */
export function windowSides(
  windows: ResolvedWindows,
  columns: readonly SourceColumn[],
  samples: WindowSamples = {},
): [baseline: string, current: string] {
  const select = columns.map((c) => `${c.expression} AS ${q(c.alias)}`).join(", ");
  const side = (w: { table: TableName; condition: string }, flag: number, sample: SampleSql | undefined) =>
    `SELECT ${flag} AS __w${select ? `, ${select}` : ""} FROM ${qt(w.table)}${sample?.tableSample ?? ""} WHERE ${
      sample?.predicate ? `(${w.condition}) AND ${sample.predicate}` : w.condition
    }`;
  return [side(windows.baseline, 1, samples.baseline), side(windows.current, 0, samples.current)];
}

/**
 * `SELECT 1 AS __w, … FROM baseline UNION ALL SELECT 0 AS __w, … FROM current`: both windows, labelled; with
 * `samples`, a side reads only its sample.
 */
export function windowSource(
  windows: ResolvedWindows,
  columns: readonly SourceColumn[],
  samples: WindowSamples = {},
): string {
  return windowSides(windows, columns, samples).join(" UNION ALL ");
}

/** Whether both windows read the same table (then one scan can serve both). */
export function sameTable(windows: ResolvedWindows): boolean {
  return qt(windows.baseline.table) === qt(windows.current.table);
}

/**
 * One scan of the table both windows share: each matching row once, flagged by the windows it falls in
 * (`__b`, `__c`: a row can be in both), plus `extra` expressions in the select list and an `also` condition.
 * `allRows` leaves the windows out of the WHERE clause (rows in neither come back flagged false).
 */
export function windowFlags(
  windows: ResolvedWindows,
  columns: readonly SourceColumn[],
  extra: { select?: string; also?: string; allRows?: boolean } = {},
): string {
  const b = windows.baseline.condition;
  const c = windows.current.condition;
  const select = [
    `coalesce((${b}), false) AS __b`,
    `coalesce((${c}), false) AS __c`,
    ...(extra.select ? [extra.select] : []),
    ...columns.map((col) => `${col.expression} AS ${q(col.alias)}`),
  ];
  const where = [...(extra.allRows ? [] : [`((${b}) OR (${c}))`]), ...(extra.also ? [extra.also] : [])];
  return `SELECT ${select.join(", ")} FROM ${qt(windows.current.table)}${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}`;
}
