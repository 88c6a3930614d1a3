import type { Lakehouse } from "@mlops/lakehouse";
import type { PipelineGuard, ScorerResolver } from "@mlops/pipelines";

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
}
