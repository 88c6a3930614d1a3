import { invalidParameter } from "../errors/mlflow-error";

/** MLflow's page token: base64 of Python's `json.dumps({"offset": n})` (note the space), so tokens match its own. */
export function encodePageToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`).toString("base64");
}

export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset?: unknown };
    if (typeof parsed.offset === "number" && Number.isInteger(parsed.offset) && parsed.offset >= 0)
      return parsed.offset;
  } catch {
    // reported below
  }
  throw invalidParameter(`Invalid page token, could not base64-decode: ${token}`);
}
