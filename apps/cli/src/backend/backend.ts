import type { JobName, JobRecord, WaitOptions } from "@mlops/queue";

/**
 * What CLI commands need from the product. Either the running stack over HTTP, or this process opening the
 * stack itself with an in-process worker for the length of the command.
 */
export interface Backend {
  /** Said to the user once: which of the two this command uses. */
  description: string;
  enqueue(name: JobName, payload: Record<string, unknown>): Promise<JobRecord>;
  getJob(id: string): Promise<JobRecord>;
  listJobs(limit: number): Promise<JobRecord[]>;
  waitForJob(id: string, options: WaitOptions): Promise<JobRecord>;
  close(): Promise<void>;
}
