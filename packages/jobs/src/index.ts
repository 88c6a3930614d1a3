export type { JobContext, JobHandler, JobHandlers, JobServices } from "./job-handler";
export { type JobProcessing, type JobProcessingOptions, startJobProcessing } from "./job-processing";
export { JOB_HANDLERS } from "./processors";
export { abortableSleep } from "./processors/abortable-sleep";
