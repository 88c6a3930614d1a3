export type { JobContext, JobHandler, JobHandlers, JobServices } from "./job-handler";
export { type JobProcessing, type JobProcessingOptions, startJobProcessing } from "./job-processing";
export { JOB_HANDLERS } from "./processors";
export { abortableSleep } from "./processors/abortable-sleep";
export {
  createExperimentJobServices,
  type ExperimentJobServices,
  type ExperimentJobServicesOptions,
} from "./processors/experiment-services";
export { type SubmitExperimentOptions, submitExperiment } from "./processors/experiment-submit";
export { type MonitorScheduleSync, syncMonitorSchedules } from "./processors/monitor-schedules";
export {
  breachActionEnqueuer,
  type MonitorJobServices,
  type RetrainRequest,
  type RetrainService,
} from "./processors/monitor-services";
export type { PipelineJobServices } from "./processors/pipeline-services";
