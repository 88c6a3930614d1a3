import { HumanMessage } from "@langchain/core/messages";
import type { Planner } from "../planner/planner";
import type { Toolbox } from "../tools/toolbox";
import { planDigest } from "./plan";

/** What `mlops plan` prints: the planner's tool calls and their digest; nothing runs. */
export interface PlanPreview {
  planner: string;
  digest: string | null;
  calls: { name: string; args: Record<string, unknown>; effect: string; available: boolean; reason?: string }[];
  /** The planner's words (the help text when the offline planner does not understand). */
  text: string;
}

/** Asks the planner for a request's tool calls without running any of them. */
export async function previewPlan(
  services: { planner: Planner; toolbox: Toolbox },
  text: string,
): Promise<PlanPreview> {
  const message = await services.planner.plan({ messages: [new HumanMessage(text)], request: text, round: 0 });
  const calls = (message.tool_calls ?? []).map((c) => {
    const reason = services.toolbox.unavailable(c.name);
    return {
      name: c.name,
      args: c.args,
      effect: services.toolbox.tools.get(c.name)?.effect ?? "unavailable",
      available: reason === undefined,
      ...(reason ? { reason } : {}),
    };
  });
  return {
    planner: services.planner.name,
    digest: calls.length > 0 ? planDigest(calls.map((c) => ({ tool: c.name, args: c.args }))) : null,
    calls,
    text: typeof message.content === "string" ? message.content : "",
  };
}
