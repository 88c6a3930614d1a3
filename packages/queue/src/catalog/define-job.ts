import type { z } from "zod";

/** What the catalog knows about one kind of job: shared by the producers and the workers. */
export interface JobDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  name: string;
  /** BullMQ queue the job travels on; heavy and light work get separate queues. */
  queue: string;
  description: string;
  payload: P;
  result: R;
  /** Tries in all, the first included. */
  attempts: number;
  /** Exponential backoff base between tries. */
  backoffMs: number;
  /** A try still running after this long is aborted and counts as failed. */
  timeoutMs: number;
}

export function defineJob<P extends z.ZodType, R extends z.ZodType>(definition: JobDefinition<P, R>) {
  return definition;
}
