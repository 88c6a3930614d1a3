import { AIMessage } from "@langchain/core/messages";
import { newId } from "@mlops/core";
import { grammarHelp, parseCommand } from "./command-grammar";
import type { Planner } from "./planner";

export const OFFLINE_PLANNER_NAME = "offline command planner";

/**
 * The deterministic planner used when no planner model is configured: one rule of {@link COMMAND_GRAMMAR} per
 * request, the same tool calls a model would make. It plans once per request; the report follows the results.
 */
export function createCommandPlanner(): Planner {
  return {
    name: OFFLINE_PLANNER_NAME,
    async plan({ request, round }) {
      if (round > 0) return new AIMessage({ id: newId("msg"), content: "" });
      const call = parseCommand(request);
      if (!call) return new AIMessage({ id: newId("msg"), content: grammarHelp() });
      return new AIMessage({
        id: newId("msg"),
        content: `(${OFFLINE_PLANNER_NAME})`,
        tool_calls: [{ id: newId("call"), name: call.tool, args: call.args, type: "tool_call" }],
      });
    },
  };
}
