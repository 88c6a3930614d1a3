import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Stable codes of every refusal; safe to match on in code, scripts and HTTP clients. */
export const APPROVAL_ERROR_CODES = [
  "APPROVAL_MISSING",
  "APPROVAL_NOT_FOUND",
  "APPROVAL_NOT_APPROVED",
  "APPROVAL_DIGEST_MISMATCH",
  "APPROVAL_EXPIRED",
  "APPROVAL_USED",
  "APPROVAL_NOT_ALLOWED",
  "APPROVAL_SELF",
  "APPROVAL_ALREADY_DECIDED",
  "APPROVAL_ACTION_INVALID",
  "APPROVAL_CONFIG_INVALID",
] as const;
export type ApprovalErrorCode = (typeof APPROVAL_ERROR_CODES)[number];

/** Why an approval was refused, or a request could not be made or decided. */
export class ApprovalError extends MlopsError {
  declare readonly code: ApprovalErrorCode;

  constructor(code: ApprovalErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
  }
}

export function isApprovalError(value: unknown): value is ApprovalError {
  return value instanceof ApprovalError;
}
