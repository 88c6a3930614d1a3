/** A JSON value, as an approval's parameters hold them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A destructive pipeline action as a person approves it: the same shape as `@mlops/approvals`' action spec, so its
 * `createApprovalGuard(...)` can be passed as a {@link PipelineGuard}. Everything in it is known at plan time (no
 * run ids), so an approval can be requested from `mlops pipeline plan` before the run.
 */
export interface PipelineAction {
  kind: "pipeline.overwrite" | "pipeline.backfill";
  /** The table to overwrite, or the pipeline to backfill. */
  target: string;
  /** The SELECT whose result replaces the data (overwrite). */
  sql?: string;
  parameters?: Record<string, JsonValue>;
}

/** Resolves when a person approved exactly this action (and consumes the approval); throws otherwise. */
export type PipelineGuard = (action: PipelineAction) => Promise<void>;
