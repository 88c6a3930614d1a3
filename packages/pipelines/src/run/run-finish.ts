import { PipelineError } from "../errors";
import type { PipelineStore, StepRecord } from "../store/pipeline-store";
import type { PipelineRunResult, StepOutcome } from "./run-types";
import type { SchemaDrift } from "./schema-check";

/** The error a failed step ends its run with: a PipelineError naming the run and the step (wrapped if it is not one). */
export function asRunError(pipeline: string, runId: string, step: string, error: unknown): PipelineError {
  if (error instanceof PipelineError) {
    Object.assign(error.context, { runId, failedStep: step });
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PipelineError("PIPELINE_STEP_FAILED", `Step ${step} of pipeline ${pipeline} failed: ${message}`, {
    hint: `Fix the cause, then resume: mlops pipeline run ${pipeline} --resume ${runId}`,
    context: { runId, failedStep: step },
    cause: error,
  });
}

/**
 * Records a run failed at a step: the step `failed` with the error, the run `failed` with `failedStep` (what a
 * resume starts from). The steps after it stay `pending`: they did not run.
 */
export async function failPipelineRun(
  store: PipelineStore,
  runId: string,
  step: string,
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await store.updateStep(runId, step, { status: "failed", error: message, finished: true }).catch(() => undefined);
  await store.finishRun(runId, { status: "failed", failedStep: step, error: message });
}

/** A completed step as its record keeps it (what {@link runPipelineStep} wrote when it completed). */
export function outcomeOf(record: StepRecord, expectations: StepOutcome["expectations"]): StepOutcome {
  const detail = record.detail as {
    notes?: string[];
    drift?: SchemaDrift;
    mode?: string;
    durationMs?: number;
    expectationOrder?: string[];
  };
  const order = detail.expectationOrder ?? [];
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const finished = record.finishedAt ? Date.parse(record.finishedAt) : Date.parse(record.startedAt);
  return {
    step: record.step,
    table: record.targetTable,
    layer: record.layer,
    mode: detail.mode ?? record.mode,
    status: "completed",
    rowsIn: record.rowsIn ?? 0,
    rowsWritten: record.rowsWritten ?? 0,
    rowsDropped: record.rowsDropped ?? 0,
    expectations: expectations.filter((e) => e.step === record.step).sort((a, b) => rank(a.name) - rank(b.name)),
    drift: detail.drift,
    notes: detail.notes ?? [],
    durationMs: detail.durationMs ?? finished - Date.parse(record.startedAt),
  };
}

/**
 * Ends a run whose steps all completed: records it `completed` and returns its result from the records (each
 * step's counts, expectations, drift and notes). Run again on a completed run, it only returns the result.
 * @throws PipelineError `PIPELINE_RUN_NOT_FOUND`; `PIPELINE_STEP_FAILED` when the run failed or a step is not done.
 */
export async function finishPipelineRun(
  store: PipelineStore,
  runId: string,
  options: { notes?: string[] } = {},
): Promise<PipelineRunResult> {
  const run = await store.getRun(runId);
  if (!run) throw new PipelineError("PIPELINE_RUN_NOT_FOUND", `No pipeline run ${runId}`, { context: { runId } });
  if (run.status === "failed") {
    throw new PipelineError("PIPELINE_STEP_FAILED", `Run ${runId} failed at ${run.failedStep}: ${run.error}`, {
      hint: `Resume it: mlops pipeline run ${run.pipeline} --resume ${runId}`,
      context: { runId, failedStep: run.failedStep },
    });
  }
  const undone = run.steps.filter((s) => s.status !== "completed" && s.status !== "skipped");
  if (undone.length > 0) {
    throw new PipelineError(
      "PIPELINE_STEP_FAILED",
      `Run ${runId} cannot finish: ${undone.map((s) => `${s.step} is ${s.status}`).join(", ")}`,
      { context: { runId, steps: undone.map((s) => s.step) } },
    );
  }
  if (run.status === "running") await store.finishRun(runId, { status: "completed" });
  const finished = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  return {
    runId,
    pipeline: run.pipeline,
    status: "completed",
    resumedFrom: run.resumedFrom,
    steps: run.steps.filter((s) => s.status === "completed").map((s) => outcomeOf(s, run.expectations)),
    notes: options.notes ?? [],
    durationMs: finished - Date.parse(run.startedAt),
  };
}
