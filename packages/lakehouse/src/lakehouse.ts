import type { DestructiveAction, DestructiveGuard } from "./destructive-guard";
import type { SchemaName, TableName } from "./names/table-name";
import type { SqlClassification } from "./sql/classify-sql";
import type { ColumnInfo, Row, SqlParams } from "./values";

export type EngineKind = "duckdb" | "databricks";

export interface QueryResult<T = Row> {
  columns: ColumnInfo[];
  rows: T[];
}

export interface ExecuteResult {
  classification: SqlClassification;
  /** Rows inserted, updated or deleted by the last statement, where the engine reports it. */
  rowsAffected: number | undefined;
}

/** A table's version before a destructive statement ran, so it can be restored (`RESTORE TABLE … TO VERSION AS OF`). */
export interface VersionBefore {
  table: TableName;
  version: number;
}

export interface DestructiveResult extends ExecuteResult {
  /** What the guard approved. */
  action: DestructiveAction;
  /** Versions recorded before running; empty on engines without table versions (DuckDB). */
  versionsBefore: VersionBefore[];
}

export interface ExecuteDestructiveOptions {
  /** Throws unless a person approved exactly this action; nothing runs when it throws. */
  approvalGuard: DestructiveGuard;
  params?: SqlParams;
}

export interface StreamOptions {
  /**
   * Rows per yielded batch.
   * @defaultValue 10000
   */
  batchSize?: number;
}

export interface TableSummary {
  name: TableName;
  kind: "table" | "view";
}

export interface TableColumn extends ColumnInfo {
  nullable: boolean;
}

export interface TableDescription {
  name: TableName;
  kind: "table" | "view";
  columns: TableColumn[];
  /** Partition columns; DuckDB tables have none. */
  partitionColumns: string[];
  /** Row count where the engine knows it cheaply (DuckDB counts; Databricks reads `numRecords` if present). */
  rowCount: number | undefined;
  /** Current table version; `undefined` on engines without versions (DuckDB). */
  version: number | undefined;
  /** Storage format, e.g. `delta`, `duckdb`. */
  format: string;
}

export interface TableHistoryEntry {
  version: number;
  timestamp: string;
  operation: string;
  user: string | undefined;
  operationParameters: Record<string, unknown>;
}

export type WriteMode = "append" | "overwrite" | "merge";

export interface WriteRowsOptions {
  /** @defaultValue "append" */
  mode?: WriteMode;
  /** Key columns for `merge`: matching rows are updated, others inserted. */
  keys?: string[];
  /** Required for `overwrite` and `merge`, which replace existing data. */
  approvalGuard?: DestructiveGuard;
}

export interface WriteResult {
  table: TableName;
  mode: WriteMode;
  rowsWritten: number;
  /** Version recorded before an overwrite or merge, where the engine has versions. */
  versionBefore: number | undefined;
}

export interface IngestCsvOptions {
  /** `append` (default) adds rows; `overwrite` replaces the table and needs `approvalGuard` if it exists. */
  mode?: "append" | "overwrite";
  /** @defaultValue true */
  header?: boolean;
  /** Auto-detected when omitted. */
  delimiter?: string;
  approvalGuard?: DestructiveGuard;
}

export interface IngestResult {
  table: TableName;
  rowsWritten: number;
}

export interface LakehouseCapabilities {
  /** DESCRIBE HISTORY, table versions and RESTORE exist (Delta on Databricks). */
  tableVersions: boolean;
}

/**
 * One interface over the lakehouse engines (DuckDB embedded default, Databricks SQL in production). Names are Unity
 * Catalog `catalog.schema.table` on both. Every path that runs SQL refuses destructive statements unless it goes
 * through {@link Lakehouse.executeDestructive} with an approval guard.
 */
export interface Lakehouse {
  readonly engine: EngineKind;
  readonly capabilities: LakehouseCapabilities;
  /** Default catalog and schema for unqualified names. */
  readonly defaults: SchemaName;

  /** Runs a read (or write) query and returns all rows. Refuses destructive SQL. */
  query<T = Row>(sql: string, params?: SqlParams): Promise<QueryResult<T>>;
  /** Runs statements for their effect. Refuses destructive SQL (`LAKEHOUSE_DESTRUCTIVE_REFUSED`). */
  execute(sql: string, params?: SqlParams): Promise<ExecuteResult>;
  /** Runs destructive SQL after the guard approves; records table versions first where the engine has them. */
  executeDestructive(sql: string, options: ExecuteDestructiveOptions): Promise<DestructiveResult>;
  /** Streams a large result in batches without holding it all in memory. Refuses destructive SQL. */
  stream<T = Row>(sql: string, params?: SqlParams, options?: StreamOptions): AsyncIterable<T[]>;

  listCatalogs(): Promise<string[]>;
  listSchemas(catalog?: string): Promise<string[]>;
  listTables(schema?: string | SchemaName): Promise<TableSummary[]>;
  /** @throws LakehouseError `LAKEHOUSE_TABLE_NOT_FOUND` */
  describeTable(name: string | TableName): Promise<TableDescription>;
  /** Newest first; empty on engines without versions (DuckDB). */
  tableHistory(name: string | TableName, options?: { limit?: number }): Promise<TableHistoryEntry[]>;
  /** Current version; `undefined` on engines without versions (DuckDB). */
  tableVersion(name: string | TableName): Promise<number | undefined>;
  tableExists(name: string | TableName): Promise<boolean>;

  /** Creates the catalog and schema if missing. */
  ensureSchema(name: string | SchemaName): Promise<SchemaName>;
  /** Writes rows, creating the table from the first row's types when missing. */
  writeRows(table: string | TableName, rows: readonly Row[], options?: WriteRowsOptions): Promise<WriteResult>;
  /** Loads a CSV file into a table inside the engine (rows never pass through Node). */
  ingestCsv(table: string | TableName, path: string, options?: IngestCsvOptions): Promise<IngestResult>;

  close(): Promise<void>;
}
