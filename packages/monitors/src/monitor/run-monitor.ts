import { type Clock, formatError, type Logger, newId, silentLogger, systemClock } from "@mlops/core";
import type { Lakehouse } from "@mlops/lakehouse";
import { type DriftReport, runDriftCheck, type StatisticValue } from "../drift/compute-drift";
import type { DriftWindow } from "../drift/drift-window";
import type { AlertSink, MonitorAlert, RequestBreachAction } from "./breach-actions";
import { deriveThresholds } from "./derive-thresholds";
import { durationMs, type MonitorSpec, type MonitorWindowSpec } from "./monitor-spec";
import type { MonitorStore } from "./monitor-store";
import { appendResults, type MonitorResultRow } from "./results-table";
import { type JudgedValue, judge, type MonitorStatus, worstStatus } from "./thresholds";

export interface MonitorServices {
  lakehouse: Lakehouse;
  /** Definitions and the run log; without it a spec runs without being recorded in the app database. */
  store?: MonitorStore;
  /** Where breaches are posted. @defaultValue none: breaches are only recorded */
  alerts?: AlertSink;
  /** Enqueues the retrain / re-evaluation job when the monitor asks for one. */
  requestBreachAction?: RequestBreachAction;
  clock?: Clock;
  logger?: Logger;
}

export interface MonitorRunResult {
  runId: string;
  monitor: string;
  status: MonitorStatus;
  runAt: string;
  values: JudgedValue[];
  breaches: JudgedValue[];
  alert: MonitorAlert | undefined;
  resultsTable: string;
  report: Omit<DriftReport, "values">;
}

/** A window of the spec as absolute bounds at `now` (relative `last`/`offset` windows move with each run). */
export function resolveWindow(window: MonitorWindowSpec, now: Date): DriftWindow {
  const out: DriftWindow = {};
  if (window.table) out.table = window.table;
  if (window.where) out.where = window.where;
  if (window.from) out.from = window.from;
  if (window.to) out.to = window.to;
  if (window.last) {
    const end = now.getTime() - (window.offset ? durationMs(window.offset) : 0);
    out.from = new Date(end - durationMs(window.last)).toISOString();
    out.to = new Date(end).toISOString();
  }
  return out;
}

const STATUS_RANK: Record<MonitorStatus, number> = { ok: 0, warn: 1, alert: 2 };

/**
 * Runs a monitor: every statistic between its windows (pushed down to the lakehouse), judged by its thresholds,
 * appended to the gold results table; a breach (warn or alert) is posted to the alert sink, and an alert with
 * `onBreach: retrain | reevaluate` enqueues that job.
 */
export async function runMonitor(
  spec: MonitorSpec,
  services: MonitorServices,
  options: { trigger?: string; runId?: string } = {},
): Promise<MonitorRunResult> {
  const clock = services.clock ?? systemClock;
  const logger = services.logger ?? silentLogger();
  const now = clock.now();
  const runId = options.runId ?? newId("mrun", now.getTime());
  const trigger = options.trigger ?? "manual";
  await services.store?.startRun({ id: runId, monitorName: spec.name, trigger });
  try {
    const result = await execute(spec, services, runId, now, logger);
    await services.store?.finishRun(runId, {
      monitorName: spec.name,
      status: result.status,
      summary: {
        breaches: result.breaches.map((b) => ({
          column: b.column,
          statistic: b.statistic,
          value: b.value,
          status: b.status,
        })),
        statistics: result.values.length,
        action: result.alert?.action ?? null,
        elapsedMs: result.report.elapsedMs,
      },
    });
    return result;
  } catch (error) {
    await services.store?.finishRun(runId, {
      monitorName: spec.name,
      status: "failed",
      summary: {},
      error: formatError(error),
    });
    throw error;
  }
}

async function execute(
  spec: MonitorSpec,
  services: MonitorServices,
  runId: string,
  now: Date,
  logger: Logger,
): Promise<MonitorRunResult> {
  const { lakehouse } = services;
  const baseline = resolveWindow(spec.windows.baseline, now);
  const current = resolveWindow(spec.windows.current, now);
  const columns = spec.columns ? [...spec.columns] : undefined;
  const categorical = [...spec.categoricalColumns];
  if (spec.prediction) {
    const { predictionColumn, confidenceColumn } = spec.prediction;
    if (columns && !columns.includes(predictionColumn)) columns.push(predictionColumn);
    if (confidenceColumn && columns && !columns.includes(confidenceColumn)) columns.push(confidenceColumn);
    categorical.push(predictionColumn);
  }
  const report = await runDriftCheck({
    lakehouse,
    table: spec.table,
    baseline,
    current,
    ...(spec.timeColumn ? { timeColumn: spec.timeColumn } : {}),
    ...(columns ? { columns: columns.filter((c) => c !== spec.prediction?.labelColumn) } : {}),
    categoricalColumns: categorical,
    ...(spec.statistics ? { statistics: spec.statistics } : {}),
    psiBins: spec.psiBins,
    sampling: spec.sampling,
    ...(spec.prediction?.labelColumn
      ? { quality: { predictionColumn: spec.prediction.predictionColumn, labelColumn: spec.prediction.labelColumn } }
      : {}),
  });
  const derived = spec.thresholds.derived
    ? await deriveThresholds({ lakehouse, spec, baseline, ...spec.thresholds.derived })
    : {};
  const values = judge(
    report.values.filter(
      (v) => !(spec.prediction?.labelColumn && v.column === spec.prediction.labelColumn && v.kind !== "model"),
    ),
    spec.thresholds,
    derived,
  );
  await appendResults(
    lakehouse,
    values.map((v) => toResultRow(spec, runId, now, v)),
    spec.resultsTable,
  );
  const breaches = values
    .filter((v) => v.status !== "ok")
    .sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status] || b.value - a.value);
  const status = worstStatus(values.map((v) => v.status));
  const alert = status === "ok" ? undefined : await handleBreach(spec, services, runId, status, breaches, logger);
  const { values: _all, ...summary } = report;
  return {
    runId,
    monitor: spec.name,
    status,
    runAt: now.toISOString(),
    values,
    breaches,
    alert,
    resultsTable: spec.resultsTable,
    report: summary,
  };
}

function toResultRow(spec: MonitorSpec, runId: string, runAt: Date, v: JudgedValue): MonitorResultRow {
  return {
    runId,
    monitor: spec.name,
    runAt,
    source: "monitor",
    tableName: spec.table,
    columnName: v.column,
    statistic: v.statistic,
    value: v.value,
    pValue: v.pValue ?? null,
    baselineValue: v.baselineValue ?? null,
    currentValue: v.currentValue ?? null,
    baselineCount: v.baselineCount,
    currentCount: v.currentCount,
    warnThreshold: v.warnThreshold,
    alertThreshold: v.alertThreshold,
    status: v.status,
    details: { kind: v.kind, ...(v.note ? { note: v.note } : {}), ...(v.details ?? {}) },
  };
}

async function handleBreach(
  spec: MonitorSpec,
  services: MonitorServices,
  runId: string,
  status: Exclude<MonitorStatus, "ok">,
  breaches: JudgedValue[],
  logger: Logger,
): Promise<MonitorAlert> {
  const listed = breaches.map((b) => ({
    column: b.column,
    statistic: b.statistic,
    value: b.value,
    ...(b.pValue !== undefined ? { pValue: b.pValue } : {}),
    status: b.status,
    warnThreshold: b.warnThreshold,
    alertThreshold: b.alertThreshold,
  }));
  let action: MonitorAlert["action"] = { kind: "none" };
  if (status === "alert" && spec.onBreach !== "none" && spec.model) {
    action = { kind: spec.onBreach };
    if (!services.requestBreachAction) {
      action.error = `no ${spec.onBreach} job producer configured`;
    } else {
      try {
        const { jobId } = await services.requestBreachAction({
          monitor: spec.name,
          runId,
          kind: spec.onBreach,
          model: spec.model,
          table: spec.table,
          reason: `monitor ${spec.name} breached: ${describeBreaches(breaches)}`,
          breaches: listed,
        });
        action.jobId = jobId;
      } catch (error) {
        action.error = formatError(error);
        logger.error({ err: error, monitor: spec.name }, "could not request the breach action");
      }
    }
  }
  const text =
    `Monitor ${spec.name} on ${spec.table}: ${status.toUpperCase()} — ${describeBreaches(breaches)}` +
    (action.kind !== "none"
      ? `; ${action.kind} ${action.jobId ? `queued as ${action.jobId}` : `not queued (${action.error})`}`
      : "");
  const alert: MonitorAlert = { monitor: spec.name, runId, status, table: spec.table, breaches: listed, action, text };
  await services.alerts?.post(alert);
  return alert;
}

function describeBreaches(breaches: StatisticValue[]): string {
  const shown = breaches
    .slice(0, 6)
    .map(
      (b) =>
        `${b.column} ${b.statistic}=${formatNumber(b.value)}${b.pValue !== undefined ? ` (p=${formatNumber(b.pValue)})` : ""}`,
    );
  return shown.join(", ") + (breaches.length > 6 ? ` and ${breaches.length - 6} more` : "");
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return Number(value.toFixed(4)).toString();
}
