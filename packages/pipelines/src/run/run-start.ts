import { newId, silentLogger } from "@mlops/core";
import { PipelineError } from "../errors";
import { selectSteps } from "../plan/plan-pipeline";
import { backfillColumn } from "../plan/step-actions";
import { type PipelineStep, type ResolvedPipeline, stepNamed } from "../spec/load-spec";
import type { PipelineRunRecord } from "../store/pipeline-store";
import type { PipelineAction } from "./pipeline-action";
import { approvalsFor, approve, recordedApprovals, sameAction } from "./run-approvals";
import { asRunError } from "./run-finish";
import type { StartedRun, StartRunOptions } from "./run-types";

/**
 * Starts a run: decides which steps run (all, `from` a step and downstream, or what a failed run left undone),
 * records the run with those steps `pending` and the others `skipped`, then asks every approval the run needs
 * (backfill, overwrites of tables holding rows) before any step runs, recording each one granted on its step so
 * the step does not ask for it again. A refused approval fails the run at once, nothing changed.
 *
 * With `runId` of a run already recorded (a retried start), nothing is created again: approvals not yet recorded
 * are asked, and the run is returned as it is.
 * @throws PipelineError (`PIPELINE_NOTHING_TO_RESUME`, `PIPELINE_APPROVAL_REQUIRED`, …) with `context.runId`.
 */
export async function startPipelineRun(pipeline: ResolvedPipeline, options: StartRunOptions): Promise<StartedRun> {
  const { lakehouse, store } = options;
  const logger = options.logger ?? silentLogger();
  const runId = options.runId ?? newId("prun");
  const notes: string[] = [];

  const existing = options.runId !== undefined ? await store.getRun(runId) : undefined;
  let record: PipelineRunRecord;
  if (existing) {
    if (existing.pipeline !== pipeline.name) {
      throw new PipelineError("PIPELINE_INVALID_ARGUMENT", `Run ${runId} is a run of ${existing.pipeline}`, {
        context: { runId, pipeline: pipeline.name },
      });
    }
    if (existing.status === "failed") {
      throw new PipelineError(
        "PIPELINE_STEP_FAILED",
        `Run ${runId} failed at ${existing.failedStep}: ${existing.error}`,
        {
          hint: `Resume it: mlops pipeline run ${pipeline.name} --resume ${runId}`,
          context: { runId, failedStep: existing.failedStep },
        },
      );
    }
    record = existing;
  } else {
    // Which steps run: all, from a step, or what a failed run left undone.
    let toRun: PipelineStep[];
    let resumedFrom: string | null = null;
    let fromStep = options.from ?? null;
    let backfill = options.backfill;
    if (options.resume !== undefined) {
      const previous =
        options.resume === "latest"
          ? (await store.listRuns({ pipeline: pipeline.name, limit: 1 }))[0]
          : await store.getRun(options.resume);
      const previousFull = previous ? await store.getRun(previous.id) : undefined;
      if (previousFull?.status !== "failed" || previousFull.pipeline !== pipeline.name) {
        throw new PipelineError(
          "PIPELINE_NOTHING_TO_RESUME",
          previousFull
            ? `Run ${previousFull.id} of ${previousFull.pipeline} is ${previousFull.status}: nothing to resume`
            : `No run ${options.resume} of pipeline ${pipeline.name} to resume`,
          {
            hint: "Resume a failed run (see `mlops pipeline runs`), or run the pipeline again.",
            context: { resume: options.resume },
          },
        );
      }
      const undone = new Set(
        previousFull.steps.filter((s) => s.status !== "completed" && s.status !== "skipped").map((s) => s.step),
      );
      toRun = pipeline.steps.filter((s) => undone.has(s.name));
      resumedFrom = previousFull.id;
      fromStep = previousFull.failedStep;
      backfill = backfill ?? previousFull.backfill ?? undefined;
      if (previousFull.specDigest !== pipeline.digest) notes.push(`the spec changed since run ${previousFull.id}`);
    } else {
      toRun = selectSteps(pipeline, options.from);
    }
    const running = new Set(toRun.map((s) => s.name));
    await store.createRun({
      id: runId,
      pipeline: pipeline.name,
      specDigest: pipeline.digest,
      fromStep,
      resumedFrom,
      backfill: backfill ?? null,
      requestedBy: options.requestedBy ?? "system",
      steps: pipeline.steps.map((s) => ({
        step: s.name,
        targetTable: s.tableName,
        layer: s.spec.layer,
        mode: backfill && backfillColumn(s) ? "backfill" : s.spec.mode,
        status: running.has(s.name) ? "pending" : "skipped",
      })),
    });
    record = (await store.getRun(runId))!;
    logger.info({ runId, pipeline: pipeline.name, steps: [...running], resumedFrom }, "pipeline run started");
  }

  const runSteps = record.steps.filter((s) => s.status !== "skipped").map((s) => stepNamed(pipeline, s.step));
  const backfill = record.backfill ?? undefined;
  const started: StartedRun = {
    runId,
    pipeline: pipeline.name,
    resumedFrom: record.resumedFrom,
    backfill,
    steps: runSteps.map((s) => s.name),
    notes,
    existing: existing !== undefined,
  };
  if (record.status !== "running") return started;

  // Approvals first, all of them: a refused approval changes nothing.
  let current = runSteps[0];
  try {
    const granted: PipelineAction[] = [];
    for (const step of runSteps) {
      current = step;
      const recorded = recordedApprovals(record.steps.find((s) => s.step === step.name)?.detail);
      const needed = await approvalsFor(pipeline, lakehouse, step, runSteps, backfill);
      if (needed.every((a) => recorded.some((r) => sameAction(a, r)))) continue;
      for (const action of needed) {
        if (recorded.some((r) => sameAction(action, r)) || granted.some((g) => sameAction(action, g))) continue;
        await approve(options.approvalGuard, action, step.name);
        granted.push(action);
      }
      const detail = record.steps.find((s) => s.step === step.name)?.detail ?? {};
      await store.updateStep(runId, step.name, { detail: { ...detail, approved: needed } });
    }
  } catch (error) {
    const failed = current?.name ?? "";
    const message = error instanceof Error ? error.message : String(error);
    await store.updateStep(runId, failed, { status: "failed", error: message, finished: true }).catch(() => undefined);
    await store.finishRun(runId, { status: "failed", failedStep: failed, error: message });
    logger.error({ runId, step: failed, err: error }, "pipeline run failed before its steps");
    throw asRunError(pipeline.name, runId, failed, error);
  }
  return started;
}
