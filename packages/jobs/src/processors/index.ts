import type { JobHandlers } from "../job-handler";
import { processEcho } from "./echo";
import { processExperimentFinalize, processExperimentShard, processExperimentStart } from "./experiment-jobs";
import { processMonitorBreachAction, processMonitorExpectations, processMonitorRun } from "./monitor-jobs";
import { processPipelineFinish, processPipelineRun, processPipelineStep } from "./pipeline-run";

/** What each job in the catalog does. Adding a job to the catalog without a handler here fails to compile. */
export const JOB_HANDLERS: JobHandlers = {
  echo: processEcho,
  "experiment.start": processExperimentStart,
  "experiment.shard": processExperimentShard,
  "experiment.finalize": processExperimentFinalize,
  "monitor.run": processMonitorRun,
  "monitor.breach-action": processMonitorBreachAction,
  "monitor.expectations": processMonitorExpectations,
  "pipeline.run": processPipelineRun,
  "pipeline.step": processPipelineStep,
  "pipeline.finish": processPipelineFinish,
};
