import { createPipelineStore, isPipelineError, loadPipeline, parsePipeline, runPipeline } from "@mlops/pipelines";
import { UnrecoverableError } from "bullmq";
import type { JobHandler } from "../job-handler";

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
]);

/**
 * Runs a pipeline. Each try is its own run (`prun_<job>_<attempt>`); a retry resumes the previous try's run from
 * its failed step, so completed steps are not redone.
 */
export const processPipelineRun: JobHandler<"pipeline.run"> = async ({
  id,
  payload,
  attempt,
  services,
  signal,
  logger,
  reportProgress,
}) => {
  const pipelines = services.pipelines;
  if (!pipelines) throw new UnrecoverableError("this worker has no lakehouse configured for pipeline jobs");
  try {
    const options = { sources: payload.sources, ...(payload.baseDir ? { baseDir: payload.baseDir } : {}) };
    const pipeline = payload.specYaml
      ? parsePipeline(payload.specYaml, { ...options, origin: payload.pipeline })
      : loadPipeline(payload.pipeline, options);
    const store = createPipelineStore(services.db);
    const previous = attempt > 1 ? await store.getRun(`prun_${id}_${attempt - 1}`) : undefined;
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
      onProgress: (event) => reportProgress({ ...event }),
    });
    return {
      ...result,
      steps: result.steps.map((s) => ({
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
      })),
    };
  } catch (error) {
    if (isPipelineError(error) && FINAL_CODES.has(error.code)) {
      const final = new UnrecoverableError(error.hint ? `${error.message}\n  → ${error.hint}` : error.message);
      throw final;
    }
    throw error;
  }
};
