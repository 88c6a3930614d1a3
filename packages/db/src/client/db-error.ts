import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

export type DbErrorCode = "DB_UNREACHABLE" | "DB_MIGRATION_FAILED" | "DB_LOCKED";

export class DbError extends MlopsError {
  constructor(code: DbErrorCode, message: string, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}
