import type { Lakehouse } from "@mlops/lakehouse";
import type { PipelineGuard, ScorerResolver } from "@mlops/pipelines";
import type { FlowJob } from "bullmq";

/** Adds BullMQ flows: a `FlowProducer` fits, or {@link createPipelineFlows}. */
export interface PipelineFlows {
  /** Adds a flow atomically; adding the same job ids again adds nothing twice. */
  add(flow: FlowJob): Promise<unknown>;
}

/** What `pipeline.run` needs beyond the database: wired in `@mlops/stack`. */
export interface PipelineJobServices {
  /** The configured lakehouse, opened on first use (a DuckDB file admits one process). */
  lakehouse: () => Promise<Lakehouse>;
  /**
   * The guard for a run's destructive actions (overwrites, backfills), given the approval id the job carries.
   * `@mlops/approvals`' `createApprovalGuard({ …, approvalIdFor: () => approvalId })` fits. Absent: refused.
   */
  approvalGuardFor?: (approvalId: string | undefined) => PipelineGuard;
  /** Finds the registry model a score step names; absent: the local default model scores. */
  scorers?: ScorerResolver;
  /**
   * Adds a run's flow (a `pipeline.step` job per step under a `pipeline.finish` parent); see
   * {@link createPipelineFlows}. Absent: `pipeline.run` runs every step itself, in its own job, as one try.
   */
  flows?: PipelineFlows;
}
