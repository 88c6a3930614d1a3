import { AIMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { formatError, newId } from "@mlops/core";
import { type Plan, type PlanStep, planDigest } from "../../../plan/plan";
import type { Planner } from "../../../planner/planner";
import type { Toolbox } from "../../../tools/toolbox";
import type { ArchitectStateType, ArchitectUpdate } from "../../state";

export interface PlanNodeOptions {
  planner: Planner;
  toolbox: Toolbox;
  /** Planning rounds per request before the agent stops and reports. */
  maxRounds: number;
}

/** Asks the planner for the next tool calls (or the final answer) and turns them into a plan with its digest. */
export function createPlanNode(options: PlanNodeOptions) {
  const { planner, toolbox } = options;
  return async (state: ArchitectStateType, _config?: LangGraphRunnableConfig): Promise<ArchitectUpdate> => {
    let message: AIMessage;
    if (state.round >= options.maxRounds) {
      message = new AIMessage({ id: newId("msg"), content: `I stopped after ${options.maxRounds} planning rounds.` });
    } else {
      try {
        message = await planner.plan({ messages: state.messages, request: state.request, round: state.round });
      } catch (error) {
        message = new AIMessage({
          id: newId("msg"),
          content: `The planner (${planner.name}) failed: ${formatError(error)}`,
        });
      }
    }
    const calls = message.tool_calls ?? [];
    if (calls.length === 0) return { messages: [message], currentPlan: null, round: state.round + 1 };
    const steps: PlanStep[] = calls.map((call) => {
      const tool = toolbox.tools.get(call.name);
      const parsed = tool?.schema.safeParse(call.args);
      return {
        id: call.id ?? newId("call"),
        tool: call.name,
        args: call.args,
        effect: tool?.effect ?? "read",
        description:
          tool && parsed?.success ? tool.describe(parsed.data as never) : `${call.name} ${JSON.stringify(call.args)}`,
      };
    });
    const plan: Plan = { digest: planDigest(steps), steps, planner: planner.name, round: state.round };
    return { messages: [message], currentPlan: plan, round: state.round + 1 };
  };
}

/** After planning: show the plan, or report when there is nothing to do. */
export function routeAfterPlan(state: ArchitectStateType): "show_plan" | "report" {
  return state.currentPlan ? "show_plan" : "report";
}
