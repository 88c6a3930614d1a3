import type { Logger } from "@mlops/core";
import type { Lakehouse } from "@mlops/lakehouse";
import type { BackfillRange } from "../plan/step-actions";
import type { ScorerResolver } from "../scoring/batch-scorer";
import type { ExpectationRecord, PipelineStore } from "../store/pipeline-store";
import type { PipelineGuard } from "./pipeline-action";
import type { SchemaDrift } from "./schema-check";

export interface RunPipelineOptions {
  lakehouse: Lakehouse;
  store: PipelineStore;
  /** Run this step and everything downstream of it. */
  from?: string | undefined;
  /** Resume a failed run from its failed step: the run's id, or `latest` (the pipeline's newest run). */
  resume?: string | undefined;
  /** Recompute a date range; needs an approval. */
  backfill?: BackfillRange | undefined;
  /** Approves overwrites of existing data and backfills; without it those are refused. */
  approvalGuard?: PipelineGuard | undefined;
  /** Finds the registry model for score steps; without one (or no such model) the local default scores. */
  scorers?: ScorerResolver | undefined;
  /** @defaultValue "system" */
  requestedBy?: string;
  /** @defaultValue a new `prun_…` id */
  runId?: string;
  logger?: Logger;
  onProgress?: (event: RunProgress) => void | Promise<void>;
  /** Checked between steps and scoring batches. */
  signal?: AbortSignal;
}

/** What {@link startPipelineRun} takes: the run's options without what only executing steps needs. */
export type StartRunOptions = Omit<RunPipelineOptions, "scorers" | "onProgress" | "signal">;

/** What {@link runPipelineStep} takes: one step of a run {@link startPipelineRun} recorded. */
export interface RunStepOptions {
  lakehouse: Lakehouse;
  store: PipelineStore;
  runId: string;
  /** The step's name. */
  step: string;
  /** Asked only when the step needs an approval the start of the run did not record (its target changed since). */
  approvalGuard?: PipelineGuard | undefined;
  scorers?: ScorerResolver | undefined;
  logger?: Logger;
  /** Checked before the step and between scoring batches; an aborted step is left `pending`, not `failed`. */
  signal?: AbortSignal;
}

export interface RunProgress {
  runId: string;
  step: string;
  status: "running" | "completed" | "failed" | "skipped";
  index: number;
  total: number;
  rowsWritten?: number;
}

export interface StepOutcome {
  step: string;
  table: string;
  layer: string;
  mode: string;
  status: "completed" | "skipped";
  rowsIn: number;
  rowsWritten: number;
  rowsDropped: number;
  expectations: ExpectationRecord[];
  drift: SchemaDrift | undefined;
  notes: string[];
  durationMs: number;
}

export interface PipelineRunResult {
  runId: string;
  pipeline: string;
  status: "completed";
  resumedFrom: string | null;
  steps: StepOutcome[];
  notes: string[];
  durationMs: number;
}

/** A run as {@link startPipelineRun} recorded it, ready for its steps. */
export interface StartedRun {
  runId: string;
  pipeline: string;
  resumedFrom: string | null;
  backfill: BackfillRange | undefined;
  /** The steps this run executes, in DAG order (the others are recorded `skipped`). */
  steps: string[];
  notes: string[];
  /** The run was already recorded under this id (a retried start): nothing was created again. */
  existing: boolean;
}
