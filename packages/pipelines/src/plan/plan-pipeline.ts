import type { Lakehouse } from "@mlops/lakehouse";
import { downstreamOf } from "../dag/build-dag";
import { renderMermaid, renderSvg } from "../dag/render-dag";
import type { PipelineAction } from "../run/pipeline-action";
import { type PipelineStep, type ResolvedPipeline, stepNamed } from "../spec/load-spec";
import { type BackfillRange, backfillAction, backfillColumn, overwriteAction, stepSelect } from "./step-actions";

/** What one step will do, to which table. */
export interface StepPlan {
  step: string;
  table: string;
  layer: string;
  kind: PipelineStep["kind"];
  mode: "append" | "merge" | "overwrite" | "backfill";
  keys: string[];
  partitionBy: string[];
  dependsOn: string[];
  /** Tables, files and models it reads. */
  inputs: string[];
  /** In words. */
  action: string;
  /** Will run in this run (false: before `--from`). */
  runs: boolean;
  targetExists: boolean;
  targetRows: number | undefined;
  /** Rows the step's query yields now (before expectations), where it can be counted. */
  estimatedRows: number | undefined;
  destructive: boolean;
  /** The action a person must approve for this step, if any. */
  approval: PipelineAction | undefined;
  expectations: { name: string; action: string; condition: string }[];
}

export interface PipelinePlan {
  pipeline: string;
  digest: string;
  engine: string;
  from: string | undefined;
  backfill: BackfillRange | undefined;
  steps: StepPlan[];
  /** Every approval the run needs, in the order it asks for them. */
  approvalsNeeded: PipelineAction[];
  dag: { text: string; mermaid: string; svg: string };
}

export interface PlanOptions {
  lakehouse: Lakehouse;
  /** Run from this step (and everything downstream of it). */
  from?: string | undefined;
  backfill?: BackfillRange | undefined;
  /** Count rows (a scan per step). @defaultValue true */
  estimateRows?: boolean;
}

/** The steps a run touches: all, or the `from` step and everything downstream of it. */
export function selectSteps(pipeline: ResolvedPipeline, from: string | undefined): PipelineStep[] {
  return from === undefined ? pipeline.steps : downstreamOf(pipeline.steps, stepNamed(pipeline, from).name);
}

/**
 * Plans a run without changing anything: the DAG (text, Mermaid, SVG), what each step will do to which table,
 * which steps are destructive and need approval, and row estimates.
 */
export async function planPipeline(pipeline: ResolvedPipeline, options: PlanOptions): Promise<PipelinePlan> {
  const { lakehouse } = options;
  const selected = new Set(selectSteps(pipeline, options.from).map((s) => s.name));
  const estimates = new Map<string, number | undefined>();
  const steps: StepPlan[] = [];
  const approvals: PipelineAction[] = [];
  if (options.backfill) {
    approvals.push(
      backfillAction(
        pipeline,
        pipeline.steps.filter((s) => selected.has(s.name)),
        options.backfill,
      ),
    );
  }

  for (const step of pipeline.steps) {
    const exists = await lakehouse.tableExists(step.table);
    const targetRows = exists ? (await lakehouse.describeTable(step.table)).rowCount : undefined;
    const estimatedRows = options.estimateRows === false ? undefined : await estimate(step);
    estimates.set(step.name, estimatedRows);
    const runs = selected.has(step.name);
    const column = backfillColumn(step);
    const backfilling = options.backfill !== undefined && column !== undefined;
    const mode = backfilling ? "backfill" : step.spec.mode;
    const overwritesData = mode === "overwrite" && exists && (targetRows ?? 1) > 0;
    const approval = runs && overwritesData ? overwriteAction(pipeline, step, lakehouse.engine) : undefined;
    if (approval) approvals.push(approval);
    steps.push({
      step: step.name,
      table: step.tableName,
      layer: step.spec.layer,
      kind: step.kind,
      mode,
      keys: step.spec.keys,
      partitionBy: step.spec.partitionBy,
      dependsOn: step.dependsOn,
      inputs: inputsOf(pipeline, step),
      action: describe(step, mode, exists, column, options.backfill),
      runs,
      targetExists: exists,
      targetRows,
      estimatedRows,
      destructive: runs && (overwritesData || (backfilling && exists)),
      approval,
      expectations: step.spec.expectations.map((e) => ({ name: e.name, action: e.action, condition: e.condition })),
    });
  }

  return {
    pipeline: pipeline.name,
    digest: pipeline.digest,
    engine: lakehouse.engine,
    from: options.from,
    backfill: options.backfill,
    steps,
    approvalsNeeded: approvals,
    dag: { text: renderText(pipeline), mermaid: renderMermaid(pipeline), svg: renderSvg(pipeline) },
  };

  async function estimate(step: PipelineStep): Promise<number | undefined> {
    const upstream = () => {
      const known = step.dependsOn.map((d) => estimates.get(d)).filter((n): n is number => n !== undefined);
      return known.length > 0 ? Math.max(...known) : undefined;
    };
    try {
      if (step.kind === "score") {
        const from = step.spec.score!.from;
        if (step.dependsOn.length > 0) return upstream();
        return (await lakehouse.tableExists(from)) ? (await lakehouse.describeTable(from)).rowCount : undefined;
      }
      const reads = [...step.externalInputs, ...step.dependsOn.map((d) => stepNamed(pipeline, d).tableName)];
      for (const table of reads) if (!(await lakehouse.tableExists(table))) return upstream();
      const select = stepSelect(step, lakehouse.engine)!;
      const { rows } = await lakehouse.query(`SELECT count(*) AS n FROM (${select}) q`);
      return Number(rows[0]?.n);
    } catch {
      return upstream();
    }
  }

  function describe(
    step: PipelineStep,
    mode: StepPlan["mode"],
    exists: boolean,
    column: string | undefined,
    range: BackfillRange | undefined,
  ): string {
    const made =
      step.kind === "source"
        ? `load ${step.sourcePath} (columns checked against the declaration)`
        : step.kind === "score"
          ? `score ${step.spec.score!.from}.${step.spec.score!.textColumn} with ${step.spec.score!.model}`
          : "run its SELECT";
    const into = !exists
      ? `create ${step.tableName}`
      : mode === "append"
        ? `append to ${step.tableName}`
        : mode === "merge"
          ? `merge into ${step.tableName} on ${step.spec.keys.join(", ")} (matching rows updated)`
          : mode === "backfill"
            ? `replace rows of ${step.tableName} with ${column} in ${range!.from}..${range!.to}`
            : `overwrite ${step.tableName} (replaces all its rows)`;
    const checks = step.spec.expectations.length > 0 ? `, check ${step.spec.expectations.length} expectations` : "";
    return `${made}${checks} into a staging table, then ${into} in one statement`;
  }
}

function inputsOf(pipeline: ResolvedPipeline, step: PipelineStep): string[] {
  return [
    ...(step.sourcePath ? [step.sourcePath] : []),
    ...step.dependsOn.map((d) => stepNamed(pipeline, d).tableName),
    ...step.externalInputs,
    ...(step.spec.score ? [step.spec.score.model] : []),
  ];
}

/** The DAG as indented text: each step with the steps it reads. */
export function renderText(pipeline: ResolvedPipeline): string {
  return pipeline.steps
    .map((s, k) => {
      const reads = inputsOf(pipeline, s);
      return `${k + 1}. ${s.name} [${s.spec.layer}, ${s.spec.mode}] ${s.tableName}${reads.length ? `\n     ← ${reads.join(", ")}` : ""}`;
    })
    .join("\n");
}
