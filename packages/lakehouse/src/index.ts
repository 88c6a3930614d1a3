export {
  createLakehouse,
  type DatabricksLakehouseOptions,
  type DuckDbLakehouseOptions,
  type LakehouseOptions,
} from "./create-lakehouse";
export { type ConnectDatabricksOptions, connectDatabricks } from "./databricks/connect-databricks";
export { createDatabricksDriver, type DatabricksDriverOptions } from "./databricks/databricks-driver";
export type { DatabricksOperation, DatabricksSession } from "./databricks/databricks-session";
export type { DestructiveAction, DestructiveGuard } from "./destructive-guard";
export type { EngineDriver, RawResult } from "./engine-driver";
export { isLakehouseError, LakehouseError, type LakehouseErrorCode } from "./errors";
export { createGuardedLakehouse } from "./guarded-lakehouse";
export type * from "./lakehouse";
export {
  type Dialect,
  formatTableName,
  parseSchemaName,
  parseTableName,
  quoteIdentifier,
  quoteTableName,
  type SchemaName,
  type TableName,
} from "./names/table-name";
export {
  type ClassifiedStatement,
  classifySql,
  type SqlClassification,
  type SqlVerdict,
  worstVerdict,
} from "./sql/classify-sql";
export { createRecordingSession, type RecordedStatement, type Responder } from "./testing/recording-session";
export type { ColumnInfo, Row, SqlParam, SqlParams, SqlValue } from "./values";
