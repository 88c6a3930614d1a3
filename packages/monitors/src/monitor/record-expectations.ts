import { type Clock, newId, systemClock } from "@mlops/core";
import type { Lakehouse } from "@mlops/lakehouse";
import { appendResults, DEFAULT_RESULTS_TABLE, type MonitorResultRow } from "./results-table";
import type { MonitorStatus } from "./thresholds";

/** One data-quality expectation's outcome, as a pipeline reports it. */
export interface ExpectationResult {
  /** e.g. `tenure_not_null` */
  name: string;
  column?: string;
  /** What the pipeline does with failing rows. */
  action: "warn" | "drop" | "fail";
  passed: boolean;
  /** Rows checked and rows failing. */
  rows: number;
  failedRows: number;
  details?: Record<string, unknown>;
}

export interface RecordExpectationsInput {
  /** Pipeline (or pipeline run) the results belong to; stored in the `monitor` column. */
  pipeline: string;
  table: string;
  results: readonly ExpectationResult[];
  runId?: string;
  resultsTable?: string;
}

/**
 * Writes data-quality expectation results into the same gold table as monitors (`source = 'expectation'`,
 * statistic `expectation:<name>`, value = failing fraction). Status: ok when passed; otherwise alert for `fail`,
 * warn for `warn` and `drop`.
 */
export async function recordExpectationResults(
  lakehouse: Lakehouse,
  input: RecordExpectationsInput,
  clock: Clock = systemClock,
): Promise<{ runId: string; rows: number; status: MonitorStatus }> {
  const now = clock.now();
  const runId = input.runId ?? newId("exp", now.getTime());
  const rows: MonitorResultRow[] = input.results.map((r) => {
    const status: MonitorStatus = r.passed ? "ok" : r.action === "fail" ? "alert" : "warn";
    return {
      runId,
      monitor: input.pipeline,
      runAt: now,
      source: "expectation",
      tableName: input.table,
      columnName: r.column ?? "*",
      statistic: `expectation:${r.name}`,
      value: r.rows > 0 ? r.failedRows / r.rows : 0,
      pValue: null,
      baselineValue: null,
      currentValue: null,
      baselineCount: null,
      currentCount: r.rows,
      warnThreshold: null,
      alertThreshold: null,
      status,
      details: { action: r.action, failedRows: r.failedRows, ...(r.details ?? {}) },
    };
  });
  await appendResults(lakehouse, rows, input.resultsTable ?? DEFAULT_RESULTS_TABLE);
  const status: MonitorStatus = rows.some((r) => r.status === "alert")
    ? "alert"
    : rows.some((r) => r.status === "warn")
      ? "warn"
      : "ok";
  return { runId, rows: rows.length, status };
}
