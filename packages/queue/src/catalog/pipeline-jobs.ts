import { z } from "zod";
import { defineJob } from "./define-job";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");

/** Runs a declarative medallion pipeline (`@mlops/pipelines`) in DAG order; a retry resumes from the failed step. */
export const pipelineRunJob = defineJob({
  name: "pipeline.run",
  queue: "pipelines",
  description:
    "Runs a bronze/silver/gold pipeline on the lakehouse in DAG order, with expectations, staging swaps and lineage.",
  payload: z.object({
    pipeline: z.string().min(1).describe("A built-in pipeline (news, churn) or the name of the spec sent in specYaml"),
    specYaml: z.string().min(1).max(1_000_000).optional().describe("The spec's YAML, for a spec file of the caller"),
    baseDir: z.string().min(1).optional().describe("Directory the spec's relative source paths are resolved against"),
    sources: z.record(z.string(), z.string().min(1)).default({}).describe("Step (or `source`) → CSV file override"),
    from: z.string().min(1).optional().describe("Run this step and everything downstream of it"),
    resume: z.string().min(1).optional().describe("A failed run's id, or `latest`, to resume from its failed step"),
    backfill: z.object({ from: date, to: date }).optional().describe("Date range to recompute (needs an approval)"),
    approvalId: z.string().min(1).optional().describe("Approval for the run's destructive action"),
  }),
  result: z.object({
    runId: z.string(),
    pipeline: z.string(),
    status: z.literal("completed"),
    resumedFrom: z.string().nullable(),
    durationMs: z.number(),
    notes: z.array(z.string()),
    steps: z.array(
      z.object({
        step: z.string(),
        table: z.string(),
        layer: z.string(),
        mode: z.string(),
        rowsIn: z.number(),
        rowsWritten: z.number(),
        rowsDropped: z.number(),
        expectations: z.array(
          z.object({ name: z.string(), action: z.string(), failedRows: z.number(), outcome: z.string() }),
        ),
        notes: z.array(z.string()),
        durationMs: z.number(),
      }),
    ),
  }),
  attempts: 3,
  backoffMs: 2_000,
  timeoutMs: 60 * 60_000,
});
