export {
  createMlflowClient,
  type DatasetInputArgs,
  type MetricInput,
  type MlflowClient,
  type MlflowClientOptions,
  resolveTrackingUri,
  type SearchPageOptions,
} from "./client/create-mlflow-client";
export type { RetryOptions } from "./client/http-transport";
export { LOG_BATCH_REQUEST_LIMITS, splitLogBatch } from "./client/split-log-batch";
export {
  isMlflowError,
  type MlflowApiErrorCode,
  type MlflowClientErrorCode,
  MlflowError,
  type MlflowErrorCode,
} from "./errors/mlflow-error";
export { createMlflowServer, type MlflowServerOptions } from "./server/create-mlflow-server";
export { createSqlTrackingStore, type SqlTrackingStoreOptions } from "./store/sql-tracking-store";
export type { LogBatchInput, SearchOptions, TrackingStore, ViewType } from "./store/tracking-store";
export * from "./wire/entities";
export { type Page, responses as mlflowResponseSchemas } from "./wire/responses";
