import { isMlopsError } from "@mlops/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** HTTP status for each stable error code; unknown codes are 500. */
const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  JOB_UNKNOWN: 400,
  JOB_PAYLOAD_INVALID: 400,
  REQUEST_INVALID: 400,
  JOB_NOT_FOUND: 404,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  REDIS_UNREACHABLE: 503,
  DB_UNREACHABLE: 503,
};

/** The one error handler: every failure is `{ error: { code, message, hint? } }` with a fitting status. */
export function handleError(error: Error, c: Context) {
  if (isMlopsError(error)) {
    return c.json({ error: error.toJSON() }, STATUS_BY_CODE[error.code] ?? 500);
  }
  return c.json({ error: { code: "INTERNAL", message: error.message } }, 500);
}
