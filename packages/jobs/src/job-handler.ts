import type { Logger } from "@mlops/core";
import type { AppDatabase } from "@mlops/db";
import type { JobName, JobPayload, JobResult } from "@mlops/queue";
import type { ExperimentJobServices } from "./processors/experiment-services";
import type { MonitorJobServices } from "./processors/monitor-services";
import type { PipelineJobServices } from "./processors/pipeline-services";

/** The services a job handler may use: passed in by the app's main.ts, never created inside a handler. */
export interface JobServices {
  db: AppDatabase;
  logger: Logger;
  /** Experiment jobs: endpoints, shared rate limits and cache, the flow producer. */
  experiments?: ExperimentJobServices;
  /** Monitor jobs: the lakehouse, alert sink, breach-action producer and retrain service. */
  monitors?: MonitorJobServices;
  /** Pipeline jobs: the lakehouse (opened on first use), the approval guard, the registry scorers. */
  pipelines?: PipelineJobServices;
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
