import { jobs } from "@mlops/db";
import {
  createPipelineStore,
  isPipelineError,
  loadPipeline,
  type PipelineRunResult,
  type PipelineStore,
  parsePipeline,
  type ResolvedPipeline,
  runPipeline,
  type StepOutcome,
} from "@mlops/pipelines";
import { getJobDefinition, type JobPayload, type JobResult } from "@mlops/queue";
import { UnrecoverableError } from "bullmq";
import { eq, inArray } from "drizzle-orm";
import type { JobContext, JobHandler, JobServices } from "../job-handler";
import { abortableSleep } from "./abortable-sleep";
import { pipelineFlow, recordFlowJobs, recordFlowNotRun } from "./pipeline-flow";
import type { PipelineJobServices } from "./pipeline-services";

/** Failures a retry cannot fix: the data, the spec or a missing approval. */
const FINAL_CODES = new Set([
  "PIPELINE_SPEC_INVALID",
  "PIPELINE_NOT_FOUND",
  "PIPELINE_CYCLE",
  "PIPELINE_UNKNOWN_STEP",
  "PIPELINE_SCHEMA_MISMATCH",
  "PIPELINE_SCHEMA_DRIFT",
  "PIPELINE_DUPLICATE_KEYS",
  "PIPELINE_EXPECTATION_FAILED",
  "PIPELINE_APPROVAL_REQUIRED",
  "PIPELINE_NOTHING_TO_RESUME",
  "PIPELINE_INVALID_ARGUMENT",
  "PIPELINE_RUN_NOT_FOUND",
]);

/** How often `pipeline.run` looks at its flow's jobs. */
const POLL_MS = 150;

function pipelineServices(services: JobServices): PipelineJobServices {
  if (!services.pipelines) throw new UnrecoverableError("this worker has no lakehouse configured for pipeline jobs");
  return services.pipelines;
}

function resolvePipeline(payload: Pick<JobPayload<"pipeline.run">, "pipeline" | "specYaml" | "baseDir" | "sources">) {
  const options = { sources: payload.sources, ...(payload.baseDir ? { baseDir: payload.baseDir } : {}) };
  return payload.specYaml
    ? parsePipeline(payload.specYaml, { ...options, origin: payload.pipeline })
    : loadPipeline(payload.pipeline, options);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A pipeline error a retry cannot fix becomes an UnrecoverableError (message and hint): no retry. */
function finalOrRetry(error: unknown): unknown {
  if (isPipelineError(error) && FINAL_CODES.has(error.code)) {
    return new UnrecoverableError(error.hint ? `${error.message}\n  → ${error.hint}` : error.message);
  }
  return error;
}

/** The worker aborts a job it hands back at shutdown with this reason (`job-processing.ts`); a timeout is a failure. */
const handedBack = (signal: AbortSignal) =>
  signal.aborted && signal.reason instanceof Error && /shutting down/.test(signal.reason.message);

function stepResult(s: StepOutcome) {
  return {
    step: s.step,
    table: s.table,
    layer: s.layer,
    mode: s.mode,
    rowsIn: s.rowsIn,
    rowsWritten: s.rowsWritten,
    rowsDropped: s.rowsDropped,
    expectations: s.expectations.map((e) => ({
      name: e.name,
      action: e.action,
      failedRows: e.failedRows,
      outcome: e.outcome,
    })),
    notes: s.notes,
    durationMs: s.durationMs,
  };
}

const runResult = (result: PipelineRunResult) => ({ ...result, steps: result.steps.map(stepResult) });

/**
 * `pipeline.run`: resolves the spec, records the run and asks its approvals (here, with the worker's guard, before
 * any step runs), then adds the run's flow (a `pipeline.step` job per step, chained in DAG order, under a
 * `pipeline.finish` parent) and follows it, reporting each step as it changes, until the finish job records the
 * run completed or a step fails for good. Its record so ends as the run ends, with the run's result.
 *
 * Retried or handed back, it finds its run (`prun_<job id>`) and its flow again: nothing is added twice, no
 * approval asked twice. Without `services.pipelines.flows` it runs every step itself (one try: one run; a retry
 * resumes from the failed step).
 */
export const processPipelineRun: JobHandler<"pipeline.run"> = async (context) => {
  const { id, payload, services, logger } = context;
  const pipelines = pipelineServices(services);
  if (!pipelines.flows) return runInThisJob(context, pipelines);
  const store = createPipelineStore(services.db);
  let flow: ReturnType<typeof pipelineFlow>;
  let pipeline: ResolvedPipeline;
  try {
    pipeline = resolvePipeline(payload);
    const previous = await store.getRun(`prun_${id}`);
    if (previous?.status === "failed") {
      // Tried again after its run failed (a worker died before this job's record did): the run's outcome stands.
      throw new UnrecoverableError(`Run ${previous.id} failed at step ${previous.failedStep}: ${previous.error}`);
    }
    const run = await runPipeline.start(pipeline, {
      lakehouse: await pipelines.lakehouse(),
      store,
      runId: `prun_${id}`,
      from: payload.from,
      resume: payload.resume,
      backfill: payload.backfill,
      approvalGuard: pipelines.approvalGuardFor?.(payload.approvalId),
      requestedBy: `job:${id}`,
      logger,
    });
    flow = pipelineFlow(payload, { ...run, approvalId: payload.approvalId });
    const [own] = await services.db.select().from(jobs).where(eq(jobs.id, id));
    await recordFlowJobs(services.db, flow, {
      requestedBy: own?.requestedBy ?? `job:${id}`,
      threadId: own?.threadId ?? null,
    });
    await pipelines.flows.add(flow.tree);
    logger.info({ runId: run.runId, steps: run.steps, finish: flow.finishJobId }, "pipeline flow added");
  } catch (error) {
    throw finalOrRetry(error);
  }
  const result = await followFlow(context, store, pipeline, flow);
  return { ...result, flow: { finishJobId: flow.finishJobId, steps: flow.steps } };
};

/** Follows a run's jobs until the finish job completes (its result) or the run fails (thrown, no retry). */
async function followFlow(
  { services, signal, reportProgress }: JobContext<"pipeline.run">,
  store: PipelineStore,
  pipeline: ResolvedPipeline,
  flow: ReturnType<typeof pipelineFlow>,
): Promise<JobResult<"pipeline.finish">> {
  const finishResult = getJobDefinition("pipeline.finish").result;
  const ids = [...flow.steps.map((s) => s.jobId), flow.finishJobId];
  const total = pipeline.steps.length;
  let seen = "";
  for (;;) {
    const rows = new Map(
      (await services.db.select().from(jobs).where(inArray(jobs.id, ids))).map((r) => [r.id, r] as const),
    );
    const steps = flow.steps.map(({ step, jobId }) => {
      const row = rows.get(jobId);
      const rowsWritten = (row?.result as { rowsWritten?: number } | null)?.rowsWritten;
      return {
        step,
        jobId,
        status: row?.status ?? "queued",
        attempts: row?.attempts ?? 0,
        ...(rowsWritten !== undefined ? { rowsWritten } : {}),
        ...(row?.error ? { error: row.error } : {}),
      };
    });
    const now = JSON.stringify(steps);
    if (now !== seen) {
      seen = now;
      const latest = steps.findLast((s) => s.status !== "queued") ?? steps[0];
      await reportProgress({
        runId: flow.runId,
        step: latest?.step,
        status: latest?.status,
        index: pipeline.steps.findIndex((s) => s.name === latest?.step),
        total,
        ...(latest?.rowsWritten !== undefined ? { rowsWritten: latest.rowsWritten } : {}),
        finishJobId: flow.finishJobId,
        steps,
      });
    }
    const finish = rows.get(flow.finishJobId);
    if (finish?.status === "completed") return finishResult.parse(finish.result) as JobResult<"pipeline.finish">;
    const failedStep = steps.find((s) => s.status === "failed");
    if (finish?.status === "failed" || failedStep) {
      const run = await store.getRun(flow.runId);
      const at = run?.failedStep ?? failedStep?.step;
      throw new UnrecoverableError(
        `Step ${at} of pipeline ${pipeline.name} failed: ${run?.error ?? failedStep?.error ?? finish?.error}\n  → Fix the cause, then resume: mlops pipeline run ${pipeline.name} --resume ${flow.runId}`,
      );
    }
    await abortableSleep(POLL_MS, signal);
  }
}

/**
 * `pipeline.step`: one step of a run, after the steps before it (its children in the flow). Retried with the
 * catalog's backoff; a try handed back at shutdown leaves the step `pending` for the next worker. When no try is
 * left (or the error is final: data, spec, approval), it records the run failed at this step, and the jobs after it
 * as not run: BullMQ fails them without running them, and gold stays as it was.
 */
export const processPipelineStep: JobHandler<"pipeline.step"> = async ({
  payload,
  attempt,
  services,
  signal,
  logger,
}) => {
  const pipelines = pipelineServices(services);
  const store = createPipelineStore(services.db);
  try {
    const pipeline = resolvePipeline(payload);
    const outcome = await runPipeline.step(pipeline, {
      lakehouse: await pipelines.lakehouse(),
      store,
      runId: payload.runId,
      step: payload.step,
      approvalGuard: pipelines.approvalGuardFor?.(payload.approvalId),
      scorers: pipelines.scorers,
      logger,
      signal,
    });
    return { runId: payload.runId, ...stepResult(outcome) };
  } catch (error) {
    if (handedBack(signal)) throw error;
    const final = finalOrRetry(error);
    const run = await store.getRun(payload.runId);
    const last = final instanceof UnrecoverableError || attempt >= getJobDefinition("pipeline.step").attempts;
    if (last && run?.status === "running") {
      await runPipeline.fail(store, payload.runId, payload.step, error);
      const notRun = run.steps.filter((s) => s.status === "pending" && s.step !== payload.step).map((s) => s.step);
      await recordFlowNotRun(services.db, payload.runId, notRun, `step ${payload.step} failed: ${messageOf(error)}`);
      logger.error({ runId: payload.runId, step: payload.step, notRun }, "pipeline run failed");
    }
    throw final;
  }
};

/** `pipeline.finish`: the flow's parent, run once every step job completed: records the run completed. */
export const processPipelineFinish: JobHandler<"pipeline.finish"> = async ({ payload, services }) => {
  try {
    const result = await runPipeline.finish(createPipelineStore(services.db), payload.runId, { notes: payload.notes });
    return runResult(result);
  } catch (error) {
    throw finalOrRetry(error);
  }
};

/**
 * Every step in this job, as one try (no flow producer wired). Each try is its own run (`prun_<job>_<attempt>`);
 * a retry resumes the previous try's run from its failed step, so completed steps are not redone.
 */
async function runInThisJob(
  { id, payload, attempt, services, signal, logger, reportProgress }: JobContext<"pipeline.run">,
  pipelines: PipelineJobServices,
): Promise<JobResult<"pipeline.run">> {
  try {
    const pipeline = resolvePipeline(payload);
    const store = createPipelineStore(services.db);
    const previous = attempt > 1 ? await store.getRun(`prun_${id}_${attempt - 1}`) : undefined;
    const steps = new Map<string, { step: string; status: string; attempts: number; rowsWritten?: number }>();
    const resume = previous?.status === "failed" ? previous.id : payload.resume;
    const result = await runPipeline(pipeline, {
      lakehouse: await pipelines.lakehouse(),
      store,
      runId: `prun_${id}_${attempt}`,
      from: resume ? undefined : payload.from,
      resume,
      backfill: payload.backfill,
      approvalGuard: pipelines.approvalGuardFor?.(payload.approvalId),
      scorers: pipelines.scorers,
      requestedBy: `job:${id}`,
      logger,
      signal,
      onProgress: (event) => {
        // Every step's status so far, so a caller polling the record sees each step complete.
        if (event.status === "skipped") return;
        steps.set(event.step, {
          step: event.step,
          status: event.status,
          attempts: 1,
          ...(event.rowsWritten !== undefined ? { rowsWritten: event.rowsWritten } : {}),
        });
        return reportProgress({ ...event, steps: [...steps.values()] });
      },
    });
    return runResult(result);
  } catch (error) {
    throw finalOrRetry(error);
  }
}
