import { z } from "zod";
import { defineJob } from "./define-job";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD");

/** Queue of a run's step jobs and its finish job: apart from `pipeline.run`, which waits for them. */
export const PIPELINE_STEPS_QUEUE = "pipeline-steps";

/** Where a spec comes from, as every job of a run carries it: any worker resolves the same pipeline. */
const specSource = {
  pipeline: z.string().min(1).describe("A built-in pipeline (news, churn) or the name of the spec sent in specYaml"),
  specYaml: z.string().min(1).max(1_000_000).optional().describe("The spec's YAML, for a spec file of the caller"),
  baseDir: z.string().min(1).optional().describe("Directory the spec's relative source paths are resolved against"),
  sources: z.record(z.string(), z.string().min(1)).default({}).describe("Step (or `source`) → CSV file override"),
};

const stepResult = z.object({
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
});

const runResult = z.object({
  runId: z.string(),
  pipeline: z.string(),
  status: z.literal("completed"),
  resumedFrom: z.string().nullable(),
  durationMs: z.number(),
  notes: z.array(z.string()),
  steps: z.array(stepResult),
});

/**
 * Runs a declarative medallion pipeline (`@mlops/pipelines`) as a BullMQ flow: records the run, asks its approvals,
 * adds one `pipeline.step` job per step (a chain in DAG order) under a `pipeline.finish` parent, and waits for the
 * flow, so this job's record ends as the run ends.
 */
export const pipelineRunJob = defineJob({
  name: "pipeline.run",
  queue: "pipelines",
  description:
    "Runs a bronze/silver/gold pipeline as a flow of step jobs in DAG order, with expectations, staging swaps and lineage.",
  payload: z.object({
    ...specSource,
    from: z.string().min(1).optional().describe("Run this step and everything downstream of it"),
    resume: z.string().min(1).optional().describe("A failed run's id, or `latest`, to resume from its failed step"),
    backfill: z.object({ from: date, to: date }).optional().describe("Date range to recompute (needs an approval)"),
    approvalId: z.string().min(1).optional().describe("Approval for the run's destructive action"),
  }),
  result: runResult.extend({
    flow: z
      .object({
        finishJobId: z.string(),
        steps: z.array(z.object({ step: z.string(), jobId: z.string() })),
      })
      .optional()
      .describe("The run's jobs (absent when the worker ran every step in this job)"),
  }),
  attempts: 3,
  backoffMs: 2_000,
  // It waits for the whole flow: each step has its own timeout.
  timeoutMs: 12 * 60 * 60_000,
});

/** One step of a pipeline run: staging table, expectations, one write. Runs after the steps before it in the flow. */
export const pipelineStepJob = defineJob({
  name: "pipeline.step",
  queue: PIPELINE_STEPS_QUEUE,
  description: "Runs one step of a pipeline run (its child in the flow is the step before it in DAG order).",
  payload: z.object({
    ...specSource,
    runId: z.string().min(1).describe("The run (prun_…) the step belongs to"),
    step: z.string().min(1).describe("The step's name"),
    approvalId: z.string().min(1).optional().describe("Approval for an action the start of the run did not record"),
  }),
  result: stepResult.extend({ runId: z.string() }),
  attempts: 3,
  backoffMs: 2_000,
  timeoutMs: 60 * 60_000,
});

/** The flow's parent: runs when every step job completed, and records the run completed with its result. */
export const pipelineFinishJob = defineJob({
  name: "pipeline.finish",
  queue: PIPELINE_STEPS_QUEUE,
  description: "Records a pipeline run completed once all its step jobs completed (the flow's parent).",
  payload: z.object({
    runId: z.string().min(1),
    pipeline: z.string().min(1),
    notes: z.array(z.string()).default([]),
  }),
  result: runResult,
  attempts: 3,
  backoffMs: 2_000,
  timeoutMs: 5 * 60_000,
});
