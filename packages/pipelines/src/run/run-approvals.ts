import type { Lakehouse } from "@mlops/lakehouse";
import { PipelineError } from "../errors";
import { type BackfillRange, backfillAction, backfillColumn, overwriteAction } from "../plan/step-actions";
import type { PipelineStep, ResolvedPipeline } from "../spec/load-spec";
import type { PipelineAction, PipelineGuard } from "./pipeline-action";

/** Asks the guard; a missing guard or a refusal is `PIPELINE_APPROVAL_REQUIRED` naming the action. */
export async function approve(guard: PipelineGuard | undefined, action: PipelineAction, step: string): Promise<void> {
  const what =
    action.kind === "pipeline.backfill"
      ? `Backfill of ${action.parameters?.from}..${action.parameters?.to} in pipeline ${action.target}`
      : `Overwrite of ${action.target} (it holds data)`;
  if (guard === undefined) {
    throw new PipelineError("PIPELINE_APPROVAL_REQUIRED", `${what} needs an approval; none was given`, {
      hint: "Request an approval of this action (`mlops pipeline plan --json` lists it), then run with --approval <id>.",
      context: { step, action },
    });
  }
  try {
    await guard(action);
  } catch (cause) {
    throw new PipelineError(
      "PIPELINE_APPROVAL_REQUIRED",
      `${what} was refused: ${cause instanceof Error ? cause.message : String(cause)}`,
      { hint: "Ask for an approval of exactly this action, then run again.", context: { step, action }, cause },
    );
  }
}

/**
 * The approvals one step of a run needs now: the run's backfill (one action for all its steps), and an overwrite
 * of a table that holds rows. Known before the step runs, so the start of a run asks for all of them up front.
 */
export async function approvalsFor(
  pipeline: ResolvedPipeline,
  lakehouse: Lakehouse,
  step: PipelineStep,
  runSteps: readonly PipelineStep[],
  backfill: BackfillRange | undefined,
): Promise<PipelineAction[]> {
  const needed: PipelineAction[] = [];
  if (backfill) needed.push(backfillAction(pipeline, [...runSteps], backfill));
  if (backfill && backfillColumn(step)) return needed;
  if (step.spec.mode !== "overwrite" || !(await lakehouse.tableExists(step.table))) return needed;
  if ((await lakehouse.describeTable(step.table)).rowCount === 0) return needed;
  needed.push(overwriteAction(pipeline, step, lakehouse.engine));
  return needed;
}

/** The approved actions recorded on a step (by the start of its run). */
export function recordedApprovals(detail: Record<string, unknown> | undefined): PipelineAction[] {
  const approved = detail?.approved;
  return Array.isArray(approved) ? (approved as PipelineAction[]) : [];
}

/** JSON with keys sorted: a stored action (JSONB reorders keys) compares equal to the one built now. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Same action: built by the same functions from the same spec, so their canonical JSON is equal. */
export function sameAction(a: PipelineAction, b: PipelineAction): boolean {
  return canonical(a) === canonical(b);
}
