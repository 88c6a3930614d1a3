import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Stable codes of {@link LakehouseError}. */
export type LakehouseErrorCode =
  | "LAKEHOUSE_QUERY_FAILED"
  | "LAKEHOUSE_TABLE_NOT_FOUND"
  | "LAKEHOUSE_DESTRUCTIVE_REFUSED"
  | "LAKEHOUSE_INVALID_NAME"
  | "LAKEHOUSE_CONNECTION_FAILED"
  | "LAKEHOUSE_INVALID_ARGUMENT"
  | "LAKEHOUSE_UNEXPECTED_RESPONSE"
  | "LAKEHOUSE_LOCKED";

/** The one error type of `@mlops/lakehouse`; `code` is safe to match on. */
export class LakehouseError extends MlopsError {
  declare readonly code: LakehouseErrorCode;

  constructor(code: LakehouseErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** Wraps a driver failure with the SQL and parameters that caused it. */
export function queryFailed(sql: string, params: unknown, cause: unknown): LakehouseError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  // DuckDB admits one writing process per file: usually `mlops up` holds it.
  const holder = /Could not set lock on file "([^"]+)".*?\(PID (\d+)\)/.exec(reason);
  if (holder) {
    return new LakehouseError(
      "LAKEHOUSE_LOCKED",
      `The DuckDB lakehouse ${holder[1]} is in use by process ${holder[2]}.`,
      {
        hint: "A running stack (`mlops up`) holds it: run the command while it is up through the API, or stop it first (`mlops down`).",
        context: { sql, params, pid: Number(holder[2]) },
        cause,
      },
    );
  }
  return new LakehouseError("LAKEHOUSE_QUERY_FAILED", `Query failed: ${reason}`, {
    hint: "Check the SQL and its parameters against the engine's dialect.",
    context: { sql, params },
    cause,
  });
}

export function isLakehouseError(value: unknown, code?: LakehouseErrorCode): value is LakehouseError {
  return value instanceof LakehouseError && (code === undefined || value.code === code);
}
