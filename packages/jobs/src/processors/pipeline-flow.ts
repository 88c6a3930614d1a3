import { type AppDatabase, jobs } from "@mlops/db";
import { connectRedis, getJobDefinition, type JobPayload } from "@mlops/queue";
import { type FlowJob, type FlowJobNode, FlowProducer } from "bullmq";
import { and, eq, inArray } from "drizzle-orm";
import type { PipelineFlows } from "./pipeline-services";

/** A {@link PipelineFlows} on its own Redis connection; `close()` when the worker stops. */
export function createPipelineFlows(options: { redisUrl: string; prefix: string }): PipelineFlows & {
  close(): Promise<void>;
} {
  const connection = connectRedis(options.redisUrl);
  connection.on("error", () => {});
  const producer = new FlowProducer({ connection, prefix: options.prefix });
  return {
    add: (flow) => producer.add(flow),
    async close() {
      await producer.close();
      connection.disconnect();
    },
  };
}

/** Job ids of a run's flow: stable (a re-added flow adds nothing twice), without `:` (BullMQ refuses it). */
export const stepJobId = (runId: string, step: string) => `${runId}-step-${step}`;
export const finishJobId = (runId: string) => `${runId}-finish`;

type SpecSource = Pick<JobPayload<"pipeline.run">, "pipeline" | "specYaml" | "baseDir" | "sources">;

export interface RunFlow {
  runId: string;
  finishJobId: string;
  steps: { step: string; jobId: string }[];
  /** The jobs as BullMQ takes them: the finish job, its child the last step, its child the one before, … */
  tree: FlowJob;
  /** The same jobs as `mlops jobs list` shows them. */
  records: { id: string; name: string; queue: string; payload: unknown }[];
}

/**
 * The flow of a run: a chain in DAG order under the finish job. BullMQ runs a parent only once its children
 * completed, and a job has one parent, so each step is the parent of the step before it (a DAG's steps in
 * topological order: every step's inputs come before it). `failParentOnFailure` makes a step that fails for good
 * fail the rest of the chain and the finish job: they never run.
 */
export function pipelineFlow(
  source: SpecSource,
  run: { runId: string; steps: string[]; notes: string[]; approvalId?: string | undefined },
): RunFlow {
  const stepDef = getJobDefinition("pipeline.step");
  const finishDef = getJobDefinition("pipeline.finish");
  const retention = { removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 }, removeOnFail: { age: 30 * 24 * 3600 } };
  const spec = {
    pipeline: source.pipeline,
    ...(source.specYaml ? { specYaml: source.specYaml } : {}),
    ...(source.baseDir ? { baseDir: source.baseDir } : {}),
    sources: source.sources,
  };
  const records: RunFlow["records"] = [];
  let chain: FlowJobNode | undefined;
  const steps = run.steps.map((step) => ({ step, jobId: stepJobId(run.runId, step) }));
  for (const { step, jobId } of steps) {
    const data = {
      ...spec,
      runId: run.runId,
      step,
      ...(run.approvalId ? { approvalId: run.approvalId } : {}),
    };
    records.push({ id: jobId, name: stepDef.name, queue: stepDef.queue, payload: data });
    chain = {
      name: stepDef.name,
      queueName: stepDef.queue,
      data,
      opts: {
        jobId,
        attempts: stepDef.attempts,
        backoff: { type: "exponential", delay: stepDef.backoffMs },
        failParentOnFailure: true,
        ...retention,
      },
      ...(chain ? { children: [chain] } : {}),
    };
  }
  const finishData = { runId: run.runId, pipeline: source.pipeline, notes: run.notes };
  records.push({ id: finishJobId(run.runId), name: finishDef.name, queue: finishDef.queue, payload: finishData });
  return {
    runId: run.runId,
    finishJobId: finishJobId(run.runId),
    steps,
    tree: {
      name: finishDef.name,
      queueName: finishDef.queue,
      data: finishData,
      opts: {
        jobId: finishJobId(run.runId),
        attempts: finishDef.attempts,
        backoff: { type: "exponential", delay: finishDef.backoffMs },
        ...retention,
      },
      ...(chain ? { children: [chain] } : {}),
    },
    records,
  };
}

/** Records the flow's jobs first (as the producer does), so no job is on a queue without a row to show. */
export async function recordFlowJobs(
  db: AppDatabase,
  flow: RunFlow,
  requested: { requestedBy: string; threadId: string | null },
): Promise<void> {
  await db
    .insert(jobs)
    .values(flow.records.map((r) => ({ ...r, requestedBy: requested.requestedBy, threadId: requested.threadId })))
    .onConflictDoNothing();
}

/**
 * After a step failed for good: the step jobs after it are `cancelled` (never run) and the finish job `failed`
 * with the reason, in the records. BullMQ fails them on its side (`failParentOnFailure`) without running them.
 */
export async function recordFlowNotRun(
  db: AppDatabase,
  runId: string,
  notRun: string[],
  reason: string,
): Promise<void> {
  const now = new Date();
  if (notRun.length > 0) {
    await db
      .update(jobs)
      .set({ status: "cancelled", error: `not run: ${reason}`, finishedAt: now, updatedAt: now })
      .where(
        and(
          inArray(
            jobs.id,
            notRun.map((s) => stepJobId(runId, s)),
          ),
          eq(jobs.status, "queued"),
        ),
      );
  }
  await db
    .update(jobs)
    .set({ status: "failed", error: reason, finishedAt: now, updatedAt: now })
    .where(and(eq(jobs.id, finishJobId(runId)), eq(jobs.status, "queued")));
}
