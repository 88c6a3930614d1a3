import type { JobName } from "@mlops/queue";
import type { JobHandler, JobHandlers } from "../job-handler";

/**
 * A handler whose module is imported on its first job, so a worker loads only the code of the jobs it runs (an
 * experiments worker never loads the pipeline or monitor runners). A failed import is retried on the next job.
 */
export function lazyHandler<N extends JobName>(load: () => Promise<JobHandler<N>>): JobHandler<N> {
  let loading: Promise<JobHandler<N>> | undefined;
  return async (context) => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return (await loading)(context);
  };
}

/** What each job in the catalog does. Adding a job to the catalog without a handler here fails to compile. */
export const JOB_HANDLERS: JobHandlers = {
  echo: lazyHandler(async () => (await import("./echo")).processEcho),
  "experiment.start": lazyHandler(async () => (await import("./experiment-jobs")).processExperimentStart),
  "experiment.shard": lazyHandler(async () => (await import("./experiment-jobs")).processExperimentShard),
  "experiment.finalize": lazyHandler(async () => (await import("./experiment-jobs")).processExperimentFinalize),
  "monitor.run": lazyHandler(async () => (await import("./monitor-jobs")).processMonitorRun),
  "monitor.breach-action": lazyHandler(async () => (await import("./monitor-jobs")).processMonitorBreachAction),
  "monitor.expectations": lazyHandler(async () => (await import("./monitor-jobs")).processMonitorExpectations),
  "pipeline.run": lazyHandler(async () => (await import("./pipeline-run")).processPipelineRun),
  "pipeline.step": lazyHandler(async () => (await import("./pipeline-run")).processPipelineStep),
  "pipeline.finish": lazyHandler(async () => (await import("./pipeline-run")).processPipelineFinish),
};
