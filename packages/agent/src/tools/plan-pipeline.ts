import type { Lakehouse } from "@mlops/lakehouse";
import { loadPipeline, planPipeline } from "@mlops/pipelines";
import { z } from "zod";
import { type ReadTool, renderRows, safely } from "./architect-tool";

const schema = z.object({
  pipeline: z.string().min(1).describe("A built-in pipeline (news, churn) or the path of a pipeline YAML spec"),
  from: z.string().min(1).optional().describe("Plan from this step (and everything downstream of it)"),
});

/** The DAG of a medallion pipeline and what each step would do, with the approvals a run needs; runs nothing. */
export function createPlanPipelineTool(services: {
  lakehouse: () => Promise<Lakehouse>;
  cwd?: string;
}): ReadTool<typeof schema> {
  return {
    name: "plan_pipeline",
    effect: "read",
    description:
      "Plan a bronze/silver/gold pipeline without running it: the DAG, each step's action on its table, row estimates and the approvals a run needs.",
    schema,
    describe: (input) => `plan the pipeline ${input.pipeline}${input.from ? ` from ${input.from}` : ""}`,
    run: (input) =>
      safely(async () => {
        const pipeline = loadPipeline(input.pipeline, services.cwd ? { cwd: services.cwd } : {});
        const plan = await planPipeline(pipeline, { lakehouse: await services.lakehouse(), from: input.from });
        const rows = plan.steps.map((s) => ({
          step: s.step,
          layer: s.layer,
          table: s.table,
          mode: s.mode,
          runs: s.runs ? "yes" : "no",
          rows: s.estimatedRows ?? "",
          approval: s.destructive ? "needed" : "",
        }));
        const approvals = plan.approvalsNeeded.map((a) => `  - ${a.kind} on ${a.target}`);
        return {
          ok: true,
          summary: [
            `Pipeline ${plan.pipeline} (${plan.engine}), plan digest ${plan.digest.slice(0, 12)}:`,
            plan.dag.text,
            renderRows(rows),
            approvals.length ? `A run needs approval of:\n${approvals.join("\n")}` : "A run needs no approval.",
          ].join("\n"),
          data: {
            pipeline: plan.pipeline,
            digest: plan.digest,
            steps: plan.steps,
            approvalsNeeded: plan.approvalsNeeded,
            mermaid: plan.dag.mermaid,
          },
        };
      }),
  };
}
