import type { SqlParam } from "../values";

/**
 * The slice of `@databricks/sql`'s `IDBSQLSession` the engine uses. The real driver implements it (see
 * `connect-databricks.ts`); tests pass a recording fake, so the engine is tested at this seam.
 */
export interface DatabricksSession {
  executeStatement(
    sql: string,
    options: { namedParameters?: Record<string, SqlParam>; ordinalParameters?: SqlParam[] },
  ): Promise<DatabricksOperation>;
  close(): Promise<unknown>;
}

/** The slice of `IOperation` the engine uses. */
export interface DatabricksOperation {
  fetchChunk(options: { maxRows: number }): Promise<object[]>;
  hasMoreRows(): Promise<boolean>;
  /** Thrift `TTableSchema`; optional because fakes may leave it out. */
  getSchema?(): Promise<unknown>;
  close(): Promise<unknown>;
}
