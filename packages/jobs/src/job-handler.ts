import type { Logger } from "@mlops/core";
import type { AppDatabase } from "@mlops/db";
import type { JobName, JobPayload, JobResult } from "@mlops/queue";

/** The services a job handler may use: passed in by the app's main.ts, never created inside a handler. */
export interface JobServices {
  db: AppDatabase;
  logger: Logger;
}

export interface JobContext<N extends JobName> {
  id: string;
  payload: JobPayload<N>;
  /** 1 on the first try. */
  attempt: number;
  /** Aborted on timeout and when the worker hands the job back at shutdown: stop and throw. */
  signal: AbortSignal;
  reportProgress(progress: Record<string, unknown>): Promise<void>;
  services: JobServices;
  logger: Logger;
}

export type JobHandler<N extends JobName> = (context: JobContext<N>) => Promise<JobResult<N>>;

export type JobHandlers = { [N in JobName]: JobHandler<N> };
