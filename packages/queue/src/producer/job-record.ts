import type { JobRow, JobStatus } from "@mlops/db";

/** A job as the API, the CLI and `--json` show it. */
export interface JobRecord {
  id: string;
  name: string;
  queue: string;
  status: JobStatus;
  payload: unknown;
  progress: unknown;
  result: unknown;
  error: string | null;
  attempts: number;
  requestedBy: string;
  threadId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export function toJobRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    name: row.name,
    queue: row.queue,
    status: row.status,
    payload: row.payload,
    progress: row.progress ?? null,
    result: row.result ?? null,
    error: row.error,
    attempts: row.attempts,
    requestedBy: row.requestedBy,
    threadId: row.threadId,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function isFinished(status: JobStatus): boolean {
  return status === "completed" || status === "failed" || status === "cancelled";
}
