import type { DatabricksOperation, DatabricksSession } from "../databricks/databricks-session";
import type { SqlParam } from "../values";

export interface RecordedStatement {
  sql: string;
  params: readonly SqlParam[] | Record<string, SqlParam> | undefined;
}

/** Answers a statement with rows (and optionally a Thrift-like schema), or throws to simulate a driver error. */
export type Responder = (statement: RecordedStatement) => { rows: object[]; schema?: unknown } | undefined;

/**
 * A recording fake of the {@link DatabricksSession} seam for tests: records every statement and answers from a
 * responder (unanswered statements return no rows). Not a Databricks simulator.
 */
export function createRecordingSession(responder: Responder = () => undefined) {
  const statements: RecordedStatement[] = [];
  let closed = false;
  const session: DatabricksSession = {
    async executeStatement(sql, options) {
      const statement = { sql, params: options.ordinalParameters ?? options.namedParameters };
      statements.push(statement);
      const answer = responder(statement) ?? { rows: [] };
      let offset = 0;
      const operation: DatabricksOperation = {
        async fetchChunk({ maxRows }) {
          const chunk = answer.rows.slice(offset, offset + maxRows);
          offset += chunk.length;
          return chunk;
        },
        hasMoreRows: async () => offset < answer.rows.length,
        getSchema: async () => answer.schema ?? null,
        close: async () => undefined,
      };
      return operation;
    },
    async close() {
      closed = true;
    },
  };
  return { session, statements, isClosed: () => closed };
}
