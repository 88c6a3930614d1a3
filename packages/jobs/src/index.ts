export type { JobContext, JobHandler, JobHandlers, JobServices } from "./job-handler";
export { type JobProcessing, type JobProcessingOptions, startJobProcessing } from "./job-processing";
export { JOB_HANDLERS } from "./processors";
export { abortableSleep } from "./processors/abortable-sleep";
export {
  type ExperimentOutcomeServices,
  type ExperimentReportWithOutcome,
  recordExperimentOutcome,
} from "./processors/experiment-outcome";
export {
  type ModelRegistrationSummary,
  PROMOTION_REQUESTER,
  registerExperimentModels,
} from "./processors/experiment-registration";
export {
  createExperimentJobServices,
  type ExperimentJobServices,
  type ExperimentJobServicesOptions,
} from "./processors/experiment-services";
export {
  resolveRegistration,
  SAMPLE_REGISTERED_MODEL,
  type SubmitExperimentOptions,
  submitExperiment,
} from "./processors/experiment-submit";
export { type ExperimentTrackingOutcome, planAsRunResults, trackExperiment } from "./processors/experiment-tracking";
export { type MonitorScheduleSync, syncMonitorSchedules } from "./processors/monitor-schedules";
export {
  breachActionEnqueuer,
  type MonitorJobServices,
  type RetrainRequest,
  type RetrainService,
} from "./processors/monitor-services";
export { createPipelineFlows } from "./processors/pipeline-flow";
export type { PipelineFlows, PipelineJobServices } from "./processors/pipeline-services";
export { createRetrainService, type RetrainServiceOptions } from "./processors/retrain-service";
export {
  findRetrainTarget,
  parseRetrainTargets,
  type RetrainTarget,
  type RetrainTargetInput,
  retrainTargetSchema,
} from "./processors/retrain-targets";
export { materialiseTrainingData, type TrainingFile } from "./processors/retrain-training-data";
export { createSlackAlertSink, parseSlackAlertConfig, type SlackAlertConfig } from "./slack-alert-sink";
