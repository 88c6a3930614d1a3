export {
  type CategoricalDrift,
  categoricalDriftSql,
  MAX_CATEGORIES,
  OTHER_CATEGORY,
  readCategoricalDrift,
} from "./drift/categorical-drift";
export {
  type DriftCheckOptions,
  type DriftReport,
  runDriftCheck,
  STATISTICS,
  type Statistic,
  type StatisticValue,
} from "./drift/compute-drift";
export type { DriftWindow } from "./drift/drift-window";
export { type NumericDrift, numericDriftSql, readNumericDrift } from "./drift/numeric-drift";
export { type OneOffDrift, oneOffDriftSchema, runOneOffDrift } from "./drift/one-off-drift";
export {
  AUTO_EXACT_MAX_ROWS,
  DEFAULT_SAMPLE_ROWS,
  ksSampleErrorBound,
  type Sampling,
  samplingSchema,
} from "./drift/sampling";
export {
  type AlertSink,
  type BreachActionRequest,
  createLogAlertSink,
  createMemoryAlertSink,
  type MonitorAlert,
  type RequestBreachAction,
} from "./monitor/breach-actions";
export { deriveThresholds } from "./monitor/derive-thresholds";
export {
  durationMs,
  type MonitorSpec,
  type MonitorSpecInput,
  type MonitorThresholds,
  monitorSpecSchema,
  parseMonitorSpec,
  parseMonitorYaml,
  thresholdsSchemaDefaults,
} from "./monitor/monitor-spec";
export { createMonitorStore, type MonitorStore, type StoredMonitor, scheduleKey } from "./monitor/monitor-store";
export {
  type ExpectationResult,
  type RecordExpectationsInput,
  recordExpectationResults,
} from "./monitor/record-expectations";
export {
  appendResults,
  DEFAULT_RESULTS_TABLE,
  ensureResultsTable,
  type MonitorResultRow,
  type ResultHistoryPoint,
  readResultHistory,
} from "./monitor/results-table";
export {
  formatNumber,
  type MonitorRunResult,
  type MonitorServices,
  resolveWindow,
  runMonitor,
} from "./monitor/run-monitor";
export {
  type DerivedThresholds,
  type JudgedValue,
  judge,
  type MonitorStatus,
  STATUSES,
  worstStatus,
} from "./monitor/thresholds";
export { MonitorError, type MonitorErrorCode } from "./monitor-error";
export { renderDriftSvg, seriesByColumn, sparkline } from "./render/drift-chart";
export { type ChiSquareResult, chiSquareHomogeneity, chiSquareSf } from "./stats/chi-square";
export { jensenShannonDistance, PSI_EMPTY_BIN_FLOOR, populationStabilityIndex } from "./stats/divergences";
export { kolmogorovN, ksTwoSampleAsymptoticP } from "./stats/kolmogorov";
