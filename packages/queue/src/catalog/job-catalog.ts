import type { z } from "zod";
import { QueueError } from "../queue-error";
import type { JobDefinition } from "./define-job";
import { echoJob } from "./echo-job";
import { experimentFinalizeJob, experimentShardJob, experimentStartJob } from "./experiment-jobs";
import { monitorBreachActionJob, monitorExpectationsJob, monitorRunJob } from "./monitor-jobs";
import { pipelineFinishJob, pipelineRunJob, pipelineStepJob } from "./pipeline-jobs";

/** Every job the product runs: name → payload schema, result schema, retry policy and timeout. */
export const JOB_CATALOG = {
  echo: echoJob,
  "experiment.start": experimentStartJob,
  "experiment.shard": experimentShardJob,
  "experiment.finalize": experimentFinalizeJob,
  "monitor.run": monitorRunJob,
  "monitor.breach-action": monitorBreachActionJob,
  "monitor.expectations": monitorExpectationsJob,
  "pipeline.run": pipelineRunJob,
  "pipeline.step": pipelineStepJob,
  "pipeline.finish": pipelineFinishJob,
} as const satisfies Record<string, JobDefinition>;

export type JobName = keyof typeof JOB_CATALOG;
export type JobPayload<N extends JobName> = z.output<(typeof JOB_CATALOG)[N]["payload"]>;
export type JobPayloadInput<N extends JobName> = z.input<(typeof JOB_CATALOG)[N]["payload"]>;
export type JobResult<N extends JobName> = z.output<(typeof JOB_CATALOG)[N]["result"]>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_CATALOG, name);
}

export function getJobDefinition(name: string): JobDefinition {
  if (!isJobName(name)) {
    throw new QueueError("JOB_UNKNOWN", `Unknown job "${name}".`, {
      hint: `Known jobs: ${Object.keys(JOB_CATALOG).join(", ")}.`,
      context: { name },
    });
  }
  return JOB_CATALOG[name];
}

/** The queues the catalog uses; a worker listens on all of them. */
export function catalogQueues(): string[] {
  return [...new Set(Object.values(JOB_CATALOG).map((d) => d.queue))];
}

/** Validates a payload against the catalog, with an error that names each bad field. */
export function parsePayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  const definition = getJobDefinition(name);
  const result = definition.payload.safeParse(payload);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
    throw new QueueError("JOB_PAYLOAD_INVALID", `Invalid payload for job "${name}": ${fields}`, {
      hint: "Check the payload against the job catalog (`mlops jobs catalog`).",
      context: { name, issues: result.error.issues },
    });
  }
  return result.data as JobPayload<N>;
}
