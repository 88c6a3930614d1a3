import type { ActionSpec, ApprovalGuard, RiskSummary } from "@mlops/approvals";
import { formatError } from "@mlops/core";
import type { JobRecord } from "@mlops/queue";
import type { z } from "zod";
import type { ToolEffect } from "../plan/plan";

/** What a tool returns: never thrown; a failure is a result the model and the person can read. */
export interface ToolOutcome {
  ok: boolean;
  summary: string;
  /** Structured result, for `--json` and the HTTP events. */
  data?: unknown;
  /** The summary contains text from data (tables, datasets, model outputs) and is wrapped before a model reads it. */
}

interface ToolBase<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  /** Input schema; every field has `.describe()`. */
  schema: S;
  /** One line for the plan shown to the person. */
  describe(input: z.output<S>): string;
}

/** Runs inline and changes nothing. */
export interface ReadTool<S extends z.ZodObject = z.ZodObject> extends ToolBase<S> {
  effect: "read";
  run(input: z.output<S>): Promise<ToolOutcome>;
}

export interface JobContext {
  /** Deterministic per thread, plan and step, so re-running the node after a restart enqueues once. */
  jobId: string;
  threadId: string;
  requestedBy: string;
}

/** Long work: enqueued on the worker; the graph waits for it in `wait_for_jobs`. */
export interface JobTool<S extends z.ZodObject = z.ZodObject> extends ToolBase<S> {
  effect: "job";
  /** Enqueues (or says why it cannot, as an outcome). */
  enqueue(input: z.output<S>, context: JobContext): Promise<{ jobId: string } | ToolOutcome>;
  /** Reads the finished job into an outcome; may wait for work the job started (an experiment's flow). */
  outcome(record: JobRecord, onProgress?: (progress: unknown) => void): ToolOutcome | Promise<ToolOutcome>;
}

/** What a gated tool will do, as a person approves it. */
export interface Proposal {
  action: ActionSpec;
  risk: RiskSummary;
  /** One or two sentences for the approval prompt. */
  summary: string;
  /**
   * Request `action` exactly as built (no plan digest or thread added), because the code that executes it checks
   * that exact digest (registry promotions, pipeline overwrites).
   */
  exact?: boolean;
}

/** What a gated step's `execute` gets besides its input: every approved proposal and where to queue work. */
export interface GatedContext extends JobContext {
  /** The step's proposals, in order, each with the approval that was granted for it. */
  approved: Array<Proposal & { approvalId: string }>;
}

/** Destructive or promotion steps: proposed, approved by a person (interrupt), then executed through the guard. */
export interface GatedTool<S extends z.ZodObject = z.ZodObject> extends ToolBase<S> {
  effect: "gated";
  /**
   * Builds the exact action(s) (read-only); an outcome when the step cannot be proposed (unknown table…). An empty
   * list: this input needs no approval (a pipeline run that overwrites nothing), and the step runs directly.
   */
  propose(input: z.output<S>): Promise<Proposal | Proposal[] | ToolOutcome>;
  /**
   * Executes the approved action(s); `guard` consumes the approval of exactly an action or throws. Returns a job
   * id when the execution runs on a worker (which checks the approval itself); `outcome` then reads the job.
   */
  execute(
    input: z.output<S>,
    proposal: Proposal | undefined,
    guard: ApprovalGuard,
    context: GatedContext,
  ): Promise<ToolOutcome | { jobId: string }>;
  outcome?(record: JobRecord, onProgress?: (progress: unknown) => void): ToolOutcome | Promise<ToolOutcome>;
}

export type ArchitectTool = ReadTool | JobTool | GatedTool;

export function isOutcome(value: unknown): value is ToolOutcome {
  return typeof value === "object" && value !== null && "ok" in value && "summary" in value;
}

/** Runs tool code, turning any throw into a failed outcome. */
export async function safely(work: () => Promise<ToolOutcome>): Promise<ToolOutcome> {
  try {
    return await work();
  } catch (error) {
    return failure(error);
  }
}

export function failure(error: unknown): ToolOutcome {
  return { ok: false, summary: `Error: ${formatError(error)}` };
}

export function effectOf(tool: ArchitectTool): ToolEffect {
  return tool.effect;
}

/** Renders rows as a fixed-width text table. */
export function renderRows(rows: readonly Record<string, unknown>[], columns?: string[], max = 50): string {
  if (rows.length === 0) return "(no rows)";
  const cols = columns ?? Object.keys(rows[0]!);
  const shown = rows.slice(0, max);
  const cell = (v: unknown) =>
    v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  const widths = cols.map((c) => Math.min(60, Math.max(c.length, ...shown.map((r) => cell(r[c]).length))));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.slice(0, 60).padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const out = [
    line(cols),
    line(widths.map((w) => "-".repeat(w))),
    ...shown.map((r) => line(cols.map((c) => cell(r[c])))),
  ];
  if (rows.length > max) out.push(`… ${rows.length - max} more rows`);
  return out.join("\n");
}
