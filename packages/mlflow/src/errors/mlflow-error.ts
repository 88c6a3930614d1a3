import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Error codes MLflow itself answers with (`error_code` in its error bodies). */
export type MlflowApiErrorCode =
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "INVALID_PARAMETER_VALUE"
  | "INVALID_STATE"
  | "BAD_REQUEST"
  | "ENDPOINT_NOT_FOUND"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "REQUEST_LIMIT_EXCEEDED"
  | "TEMPORARILY_UNAVAILABLE"
  | "INTERNAL_ERROR";

/** Codes of our own: the server could not be reached, or answered something that is not MLflow. */
export type MlflowClientErrorCode = "MLFLOW_UNREACHABLE" | "MLFLOW_BAD_RESPONSE" | "MLFLOW_HTTP_ERROR";

/** `string & {}` keeps autocompletion for the known codes while accepting any code a newer MLflow sends. */
export type MlflowErrorCode = MlflowApiErrorCode | MlflowClientErrorCode | (string & {});

const STATUS_BY_CODE: Record<string, number> = {
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_PARAMETER_VALUE: 400,
  INVALID_STATE: 400,
  BAD_REQUEST: 400,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  REQUEST_LIMIT_EXCEEDED: 429,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

export interface MlflowErrorOptions extends MlopsErrorOptions {
  /** HTTP status the server answered with (client side) or will answer with (server side). */
  status?: number;
}

/**
 * The one error of `@mlops/mlflow`. `code` is MLflow's `error_code` (e.g. `RESOURCE_DOES_NOT_EXIST`) when MLflow
 * answered, or one of ours (`MLFLOW_UNREACHABLE`, …); `message` is MLflow's message.
 */
export class MlflowError extends MlopsError {
  override readonly code: MlflowErrorCode;
  readonly status: number;

  constructor(code: MlflowErrorCode, message: string, options: MlflowErrorOptions = {}) {
    super(code, message, options);
    this.code = code;
    this.status = options.status ?? STATUS_BY_CODE[code] ?? 500;
  }

  /** MLflow's error body: `{"error_code": ..., "message": ...}`. */
  toWire(): { error_code: string; message: string } {
    return { error_code: this.code, message: this.message };
  }
}

export function isMlflowError(value: unknown, code?: MlflowErrorCode): value is MlflowError {
  return value instanceof MlflowError && (code === undefined || value.code === code);
}

export const notFound = (message: string) => new MlflowError("RESOURCE_DOES_NOT_EXIST", message);
export const alreadyExists = (message: string) => new MlflowError("RESOURCE_ALREADY_EXISTS", message);
export const invalidParameter = (message: string) => new MlflowError("INVALID_PARAMETER_VALUE", message);
