import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { Toolbox } from "../../../tools/toolbox";
import { emit } from "../../emit";
import type { ArchitectStateType, ArchitectUpdate } from "../../state";

/** Shows the plan to the person (the `plan` event) before any step with side effects runs. */
export function createShowPlanNode(toolbox: Toolbox) {
  return async (state: ArchitectStateType, config?: LangGraphRunnableConfig): Promise<ArchitectUpdate> => {
    const plan = state.currentPlan!;
    emit(config, {
      type: "plan",
      threadId: state.threadId,
      planner: plan.planner,
      digest: plan.digest,
      round: plan.round,
      steps: plan.steps.map((s) => ({
        id: s.id,
        tool: s.tool,
        args: s.args,
        effect: s.effect,
        description: s.description,
        available: toolbox.unavailable(s.tool) === undefined,
      })),
    });
    return {};
  };
}

/** Gated steps ask for approval first; otherwise the plan runs. */
export function routeAfterShowPlan(toolbox: Toolbox) {
  return (state: ArchitectStateType): "request_approvals" | "act" =>
    state.currentPlan!.steps.some((s) => s.effect === "gated" && toolbox.tools.has(s.tool))
      ? "request_approvals"
      : "act";
}
