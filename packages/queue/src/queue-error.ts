import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

export type QueueErrorCode =
  | "REDIS_UNREACHABLE"
  | "REDIS_TOO_OLD"
  | "JOB_UNKNOWN"
  | "JOB_PAYLOAD_INVALID"
  | "JOB_NOT_FOUND"
  | "JOB_WAIT_TIMEOUT";

export class QueueError extends MlopsError {
  constructor(code: QueueErrorCode, message: string, options?: MlopsErrorOptions) {
    super(code, message, options);
  }
}
