import { silentLogger } from "@mlops/core";
import type { ResolvedPipeline } from "../spec/load-spec";
import { asRunError, failPipelineRun, finishPipelineRun } from "./run-finish";
import { startPipelineRun } from "./run-start";
import { runPipelineStep } from "./run-step";
import type { PipelineRunResult, RunPipelineOptions, StepOutcome } from "./run-types";

export type {
  PipelineRunResult,
  RunPipelineOptions,
  RunProgress,
  RunStepOptions,
  StartedRun,
  StartRunOptions,
  StepOutcome,
} from "./run-types";

/**
 * Runs a pipeline on the lakehouse in DAG order, in this process. Each step builds a staging table, checks the
 * expectations there (warn / drop / fail, counts recorded), then writes the target in one statement (create,
 * append, merge, overwrite or a backfill range replace): a failing step leaves its target as it was. Overwrites of
 * existing data and backfills need the approval guard, asked before any step runs. Lineage, expectation counts and
 * schema snapshots are recorded per run; a failed run can be resumed from its failed step.
 *
 * The same run in pieces, for a job queue that runs each step as its own job (`@mlops/jobs`' `pipeline.run` flow):
 * `runPipeline.start` (records the run, asks the approvals), `runPipeline.step` (one step, wherever it runs),
 * `runPipeline.fail` (a step failed for good) and `runPipeline.finish` (all steps done: the run's result).
 * @throws PipelineError with `context.runId` and `context.failedStep` when a step fails (the run is recorded failed).
 */
export async function runPipeline(pipeline: ResolvedPipeline, options: RunPipelineOptions): Promise<PipelineRunResult> {
  const { store } = options;
  const logger = options.logger ?? silentLogger();
  const started = Date.now();
  const total = pipeline.steps.length;
  let run: Awaited<ReturnType<typeof startPipelineRun>>;
  try {
    run = await startPipelineRun(pipeline, options);
  } catch (error) {
    const context = (error as { context?: { runId?: string; failedStep?: string } }).context;
    if (context?.failedStep !== undefined && context.runId !== undefined) {
      await options.onProgress?.({ runId: context.runId, step: context.failedStep, status: "failed", index: 0, total });
    }
    throw error;
  }
  const { runId } = run;
  const running = new Set(run.steps);

  const outcomes: StepOutcome[] = [];
  for (const [index, step] of pipeline.steps.entries()) {
    if (!running.has(step.name)) {
      await options.onProgress?.({ runId, step: step.name, status: "skipped", index, total });
      continue;
    }
    try {
      options.signal?.throwIfAborted();
      await options.onProgress?.({ runId, step: step.name, status: "running", index, total });
      const outcome = await runPipelineStep(pipeline, {
        lakehouse: options.lakehouse,
        store,
        runId,
        step: step.name,
        approvalGuard: options.approvalGuard,
        scorers: options.scorers,
        logger,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      outcomes.push(outcome);
      await options.onProgress?.({
        runId,
        step: step.name,
        status: "completed",
        index,
        total,
        rowsWritten: outcome.rowsWritten,
      });
    } catch (error) {
      await failPipelineRun(store, runId, step.name, error);
      await options.onProgress?.({ runId, step: step.name, status: "failed", index, total });
      logger.error({ runId, step: step.name, err: error }, "pipeline run failed");
      throw asRunError(pipeline.name, runId, step.name, error);
    }
  }
  const result = await finishPipelineRun(store, runId, { notes: run.notes });
  return { ...result, steps: outcomes, durationMs: Date.now() - started };
}

runPipeline.start = startPipelineRun;
runPipeline.step = runPipelineStep;
runPipeline.fail = failPipelineRun;
runPipeline.finish = finishPipelineRun;
