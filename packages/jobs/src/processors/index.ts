import type { JobHandlers } from "../job-handler";
import { processEcho } from "./echo";

/** What each job in the catalog does. Adding a job to the catalog without a handler here fails to compile. */
export const JOB_HANDLERS: JobHandlers = {
  echo: processEcho,
};
