import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Stable codes of {@link MonitorError}. */
export type MonitorErrorCode =
  | "MONITOR_INVALID_SPEC"
  | "MONITOR_NOT_FOUND"
  | "MONITOR_ALREADY_EXISTS"
  | "MONITOR_COLUMN_NOT_FOUND"
  | "MONITOR_EMPTY_WINDOW"
  | "MONITOR_INVALID_ARGUMENT";

/** The one error type of `@mlops/monitors`; `code` is safe to match on. */
export class MonitorError extends MlopsError {
  declare readonly code: MonitorErrorCode;

  constructor(code: MonitorErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
  }
}
