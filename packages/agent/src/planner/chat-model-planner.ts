import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type AIMessage, SystemMessage } from "@langchain/core/messages";
import { PLAN_PROMPT } from "../graph/nodes/plan/plan-prompt";
import type { ArchitectTool } from "../tools/architect-tool";
import { toChatTools } from "../tools/to-chat-tools";
import type { Planner } from "./planner";

export interface ChatModelPlannerOptions {
  /** Any tool-calling chat model: `ChatOpenAI` on an endpoint, or a scripted model in tests. */
  model: BaseChatModel;
  tools: Iterable<ArchitectTool>;
  /** Shown with every plan, e.g. `model databricks-gpt-oss-120b`. */
  name: string;
}

/** A planner that asks a tool-calling chat model; it re-plans after each round of results until it answers. */
export function createChatModelPlanner(options: ChatModelPlannerOptions): Planner {
  if (!options.model.bindTools) throw new Error(`${options.name} cannot call tools`);
  const bound = options.model.bindTools(toChatTools(options.tools));
  return {
    name: options.name,
    async plan({ messages }) {
      return (await bound.invoke([new SystemMessage(PLAN_PROMPT), ...messages])) as AIMessage;
    },
  };
}
