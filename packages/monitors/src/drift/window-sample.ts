import type { Lakehouse, TableDescription } from "@mlops/lakehouse";
import {
  type ResolvedWindows,
  type SourceColumn,
  sameTable,
  type WindowSamples,
  windowFlags,
  windowSource,
} from "./drift-window";
import { hashCut, ROW_HASH, type SampleFractions, sampleSql } from "./sampling";

/** The CTE name {@link SampleRelation.sql} is bound to. */
export const SAMPLE_CTE = "__sample";

/** The sampled rows of both windows: the SQL of a relation (bound as {@link SAMPLE_CTE}), and how to read it. */
export interface SampleRelation {
  sql: string;
  /** `__col, __w, x` rows of the given columns out of the sample; `__col` = `firstIndex` + position in the list. */
  longRows(columns: readonly SourceColumn[], firstIndex?: number): string;
}

/**
 * Windows of one DuckDB table are sampled in a single scan: each row's hash decides once, and a row in both windows
 * is in both samples. Otherwise each side is sampled on its own (see sampleSql). `windowRows`: both windows' rows;
 * `currentTable`: the current window's table, already described by the caller.
 */
export async function sampleRelation(
  lakehouse: Lakehouse,
  windows: ResolvedWindows,
  columns: readonly SourceColumn[],
  fractions: SampleFractions,
  windowRows: number,
  currentTable: TableDescription,
): Promise<SampleRelation> {
  const describe = async (name: ResolvedWindows["baseline"]["table"]) =>
    name === windows.current.table ? currentTable : await lakehouse.describeTable(name);
  const table = lakehouse.engine === "duckdb" && sameTable(windows) ? currentTable : undefined;
  if (table?.kind === "table") {
    const cutB = hashCut(fractions.baseline);
    const cutC = hashCut(fractions.current);
    // When the windows hold most of the table, testing them row by row in the scan costs more than it drops
    // (DuckDB evaluates the OR on every row of the full-width scan): sample by hash alone, keep the flags.
    const allRows = table.rowCount !== undefined && windowRows >= table.rowCount / 2;
    return {
      sql: windowFlags(windows, columns, {
        select: `${ROW_HASH} AS __h`,
        also: `${ROW_HASH} < ${Math.max(cutB, cutC)}`,
        allRows,
      }),
      // One pass over the sample for every column and window: a cross join with the column indexes and the windows
      // (a UNION ALL of one scan per column and window groups ~2× slower on DuckDB).
      longRows: (read, first = 0) =>
        `SELECT ${first} + k.i AS __col, f.w AS __w,
                CASE k.i ${read.map((c, i) => `WHEN ${i} THEN \`${c.alias}\``).join(" ")} END AS x
         FROM ${SAMPLE_CTE}
         CROSS JOIN (VALUES ${read.map((_, i) => `(${i})`).join(", ")}) k(i)
         CROSS JOIN (VALUES (1), (0)) f(w)
         WHERE CASE f.w WHEN 1 THEN __b AND __h < ${cutB} ELSE __c AND __h < ${cutC} END`,
    };
  }
  const side = async (name: ResolvedWindows["baseline"]["table"], fraction: number) =>
    fraction < 1 ? sampleSql(lakehouse.engine, (await describe(name)).kind, fraction) : undefined;
  const baseline = await side(windows.baseline.table, fractions.baseline);
  const current = await side(windows.current.table, fractions.current);
  const samples: WindowSamples = { ...(baseline ? { baseline } : {}), ...(current ? { current } : {}) };
  return {
    sql: windowSource(windows, columns, samples),
    longRows: (read, first = 0) =>
      read
        .map((c, i) => `SELECT ${first + i} AS __col, __w, \`${c.alias}\` AS x FROM ${SAMPLE_CTE}`)
        .join(" UNION ALL "),
  };
}
