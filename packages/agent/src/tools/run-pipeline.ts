import type { ActionSpec } from "@mlops/approvals";
import type { Lakehouse } from "@mlops/lakehouse";
import { loadPipeline, type PipelineRunResult, parseBackfillRange, planPipeline } from "@mlops/pipelines";
import type { JobProducer } from "@mlops/queue";
import { z } from "zod";
import { failure, type GatedTool, renderRows } from "./architect-tool";

const schema = z.object({
  pipeline: z.string().min(1).describe("A built-in pipeline (news, churn) or the path of a pipeline YAML spec"),
  from: z.string().min(1).optional().describe("Run this step and everything downstream of it"),
  backfill: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/)
    .optional()
    .describe("Date range to recompute, FROM..TO (YYYY-MM-DD..YYYY-MM-DD); needs an approval"),
});

/**
 * Runs a medallion pipeline as a `pipeline.run` job on a worker. Overwrites of tables holding rows and backfills
 * are the pipelines package's own actions (`planPipeline(...).approvalsNeeded`), approved exactly as it will check
 * them; a run that needs none goes straight to the worker. The worker's guard consumes the approvals.
 */
export function createRunPipelineTool(services: {
  lakehouse: () => Promise<Lakehouse>;
  jobs: JobProducer;
  cwd?: string;
}): GatedTool<typeof schema> {
  const load = (name: string) => loadPipeline(name, services.cwd ? { cwd: services.cwd } : {});
  return {
    name: "run_pipeline",
    effect: "gated",
    description:
      "Run a bronze/silver/gold pipeline on a worker (expectations, staging swaps, lineage). Overwrites and backfills wait for a person's approval.",
    schema,
    describe: (input) =>
      `run the pipeline ${input.pipeline}${input.from ? ` from ${input.from}` : ""}${input.backfill ? ` with a backfill of ${input.backfill}` : ""} on a worker`,
    async propose(input) {
      try {
        const pipeline = load(input.pipeline);
        const plan = await planPipeline(pipeline, {
          lakehouse: await services.lakehouse(),
          from: input.from,
          ...(input.backfill ? { backfill: parseBackfillRange(input.backfill) } : {}),
          estimateRows: false,
        });
        return plan.approvalsNeeded.map((action) => {
          const step = plan.steps.find((s) => s.table === action.target);
          return {
            action: action as ActionSpec,
            exact: true,
            risk: {
              summary:
                action.kind === "pipeline.backfill"
                  ? `Recomputes ${input.backfill} of pipeline ${plan.pipeline}.`
                  : `Replaces every row of ${action.target}${step?.targetRows === undefined ? "" : ` (${step.targetRows} rows)`}.`,
              ...(step?.targetRows === undefined ? {} : { rowsAffected: step.targetRows }),
              reversible: false,
            },
            summary: `${action.kind} on ${action.target} (pipeline ${plan.pipeline})`,
          };
        });
      } catch (error) {
        return failure(error);
      }
    },
    async execute(input, _proposal, _guard, context) {
      try {
        const record = await services.jobs.enqueue(
          "pipeline.run",
          {
            pipeline: input.pipeline,
            ...(input.from ? { from: input.from } : {}),
            ...(input.backfill ? { backfill: parseBackfillRange(input.backfill) } : {}),
            // One approval travels with the job; several are found by their digests where they execute.
            ...(context.approved.length === 1 ? { approvalId: context.approved[0]!.approvalId } : {}),
          },
          { requestedBy: context.requestedBy, threadId: context.threadId, jobId: context.jobId },
        );
        return { jobId: record.id };
      } catch (error) {
        return failure(error);
      }
    },
    outcome(record) {
      if (record.status !== "completed") {
        return {
          ok: false,
          summary: `Pipeline job ${record.id} ${record.status}: ${record.error ?? "no result"}`,
          data: record,
        };
      }
      const result = record.result as Pick<PipelineRunResult, "runId" | "pipeline" | "durationMs" | "notes"> & {
        steps: { step: string; table: string; layer: string; mode: string; rowsWritten: number; rowsDropped: number }[];
      };
      const rows = result.steps.map((s) => ({
        step: s.step,
        layer: s.layer,
        table: s.table,
        mode: s.mode,
        written: s.rowsWritten,
        dropped: s.rowsDropped,
      }));
      return {
        ok: true,
        summary: `Pipeline ${result.pipeline} completed (run ${result.runId}, ${(result.durationMs / 1000).toFixed(1)} s):\n${renderRows(rows)}${result.notes.length ? `\n${result.notes.join("\n")}` : ""}`,
        data: result,
      };
    },
  };
}
