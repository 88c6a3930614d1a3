import { type Lakehouse, parseSchemaName, parseTableName, quoteTableName, type TableName } from "@mlops/lakehouse";
import { num } from "../drift/sql-values";
import type { MonitorStatus } from "./thresholds";

export const DEFAULT_RESULTS_TABLE = "main.gold.monitor_results";

/** One row of the gold monitoring table: one run × column × statistic. */
export interface MonitorResultRow {
  runId: string;
  monitor: string;
  runAt: Date;
  /** `monitor` for drift and quality, `expectation` for data-quality expectations from pipelines. */
  source: "monitor" | "expectation";
  tableName: string;
  columnName: string;
  statistic: string;
  value: number | null;
  pValue: number | null;
  baselineValue: number | null;
  currentValue: number | null;
  baselineCount: number | null;
  currentCount: number | null;
  warnThreshold: number | null;
  alertThreshold: number | null;
  status: MonitorStatus;
  details: Record<string, unknown> | null;
}

const COLUMNS: [keyof MonitorResultRow, string, string][] = [
  ["runId", "run_id", "STRING"],
  ["monitor", "monitor", "STRING"],
  ["runAt", "run_at", "TIMESTAMP"],
  ["source", "source", "STRING"],
  ["tableName", "table_name", "STRING"],
  ["columnName", "column_name", "STRING"],
  ["statistic", "statistic", "STRING"],
  ["value", "value", "DOUBLE"],
  ["pValue", "p_value", "DOUBLE"],
  ["baselineValue", "baseline_value", "DOUBLE"],
  ["currentValue", "current_value", "DOUBLE"],
  ["baselineCount", "baseline_count", "BIGINT"],
  ["currentCount", "current_count", "BIGINT"],
  ["warnThreshold", "warn_threshold", "DOUBLE"],
  ["alertThreshold", "alert_threshold", "DOUBLE"],
  ["status", "status", "STRING"],
  ["details", "details", "STRING"],
];
const INSERT_CHUNK = 200;

function target(lakehouse: Lakehouse, table: string): TableName {
  return parseTableName(table, lakehouse.defaults);
}

/** Creates the results table (and its schema) if missing. Same DDL on DuckDB and Databricks (Delta). */
export async function ensureResultsTable(lakehouse: Lakehouse, table = DEFAULT_RESULTS_TABLE): Promise<TableName> {
  const name = target(lakehouse, table);
  await lakehouse.ensureSchema(parseSchemaName({ catalog: name.catalog, schema: name.schema }));
  const columns = COLUMNS.map(([, column, type]) => `${column} ${type}`).join(", ");
  await lakehouse.execute(`CREATE TABLE IF NOT EXISTS ${quoteTableName(name, "databricks")} (${columns})`);
  return name;
}

const finite = (v: number | null) => (v === null || !Number.isFinite(v) ? null : v);

/** Appends result rows (INSERT INTO … VALUES with parameters; no rows are ever replaced). */
export async function appendResults(
  lakehouse: Lakehouse,
  rows: readonly MonitorResultRow[],
  table = DEFAULT_RESULTS_TABLE,
): Promise<number> {
  const name = await ensureResultsTable(lakehouse, table);
  const list = COLUMNS.map(([, column]) => column).join(", ");
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const chunk = rows.slice(start, start + INSERT_CHUNK);
    const tuple = `(${COLUMNS.map(([, , type]) => (type === "TIMESTAMP" ? "CAST(? AS TIMESTAMP)" : "?")).join(", ")})`;
    const params = chunk.flatMap((row) =>
      COLUMNS.map(([key]) => {
        const value = row[key];
        if (key === "runAt") return (value as Date).toISOString().replace("Z", "");
        if (key === "details") return value === null ? null : JSON.stringify(value);
        if (typeof value === "number") return finite(value);
        return value as string | null;
      }),
    );
    await lakehouse.execute(
      `INSERT INTO ${quoteTableName(name, "databricks")} (${list}) VALUES ${chunk.map(() => tuple).join(", ")}`,
      params,
    );
  }
  return rows.length;
}

export interface ResultHistoryPoint {
  runId: string;
  runAt: string;
  columnName: string;
  statistic: string;
  value: number | null;
  status: MonitorStatus;
  warnThreshold: number | null;
  alertThreshold: number | null;
}

/** A monitor's results over time, oldest first (for `monitor show` and its picture). */
export async function readResultHistory(
  lakehouse: Lakehouse,
  monitor: string,
  options: { table?: string; statistics?: string[]; limitRuns?: number } = {},
): Promise<ResultHistoryPoint[]> {
  const name = target(lakehouse, options.table ?? DEFAULT_RESULTS_TABLE);
  if (!(await lakehouse.tableExists(name))) return [];
  const t = quoteTableName(name, "databricks");
  const stats = options.statistics ?? ["psi"];
  const { rows } = await lakehouse.query(
    `WITH runs AS (SELECT run_id, max(run_at) AS last_at FROM ${t} WHERE monitor = ? GROUP BY run_id
                   ORDER BY last_at DESC LIMIT ${Math.max(1, Math.floor(options.limitRuns ?? 50))})
     SELECT r.run_id, CAST(r.run_at AS STRING) AS run_at, r.column_name, r.statistic, r.value, r.status,
            r.warn_threshold, r.alert_threshold
     FROM ${t} r JOIN runs ON r.run_id = runs.run_id
     WHERE r.monitor = ? AND r.statistic IN (${stats.map(() => "?").join(", ")})
     ORDER BY r.run_at, r.column_name, r.statistic`,
    [monitor, monitor, ...stats],
  );
  return rows.map((r) => ({
    runId: String(r.run_id),
    runAt: String(r.run_at),
    columnName: String(r.column_name),
    statistic: String(r.statistic),
    value: r.value === null ? null : num(r.value),
    status: String(r.status) as MonitorStatus,
    warnThreshold: r.warn_threshold === null ? null : num(r.warn_threshold),
    alertThreshold: r.alert_threshold === null ? null : num(r.alert_threshold),
  }));
}
