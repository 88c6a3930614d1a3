import type {
  EngineKind,
  IngestCsvOptions,
  LakehouseCapabilities,
  TableDescription,
  TableHistoryEntry,
  TableSummary,
} from "./lakehouse";
import type { SchemaName, TableName } from "./names/table-name";
import type { ColumnInfo, Row, SqlParams } from "./values";

export interface RawResult {
  columns: ColumnInfo[];
  rows: Row[];
  rowsAffected: number | undefined;
}

/**
 * What an engine implements: raw SQL and catalog access, no safety checks. {@link createGuardedLakehouse} adds the
 * classification, the approval guard and name parsing on top, the same for every engine.
 */
export interface EngineDriver {
  readonly engine: EngineKind;
  readonly capabilities: LakehouseCapabilities;
  readonly defaults: SchemaName;
  run(sql: string, params: SqlParams | undefined): Promise<RawResult>;
  stream(sql: string, params: SqlParams | undefined, batchSize: number): AsyncIterable<Row[]>;
  listCatalogs(): Promise<string[]>;
  listSchemas(catalog: string): Promise<string[]>;
  listTables(schema: SchemaName): Promise<TableSummary[]>;
  /** `undefined` when the table does not exist. */
  describeTable(name: TableName): Promise<TableDescription | undefined>;
  tableHistory(name: TableName, limit: number): Promise<TableHistoryEntry[]>;
  ensureSchema(name: SchemaName): Promise<void>;
  writeRows(
    table: TableName,
    rows: readonly Row[],
    mode: "append" | "overwrite" | "merge",
    keys: string[],
  ): Promise<number>;
  ingestCsv(table: TableName, path: string, options: IngestCsvOptions, replace: boolean): Promise<number>;
  close(): Promise<void>;
}
