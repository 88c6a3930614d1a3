import type { AIMessage, BaseMessage } from "@langchain/core/messages";

export interface PlanInput {
  /** The whole conversation so far, tool results included (wrapped as data). */
  messages: BaseMessage[];
  /** The person's latest request. */
  request: string;
  /** 0 for the first plan of a request; later rounds follow tool results. */
  round: number;
}

/** Turns a request (and what happened so far) into tool calls, or a final answer when there is nothing to do. */
export interface Planner {
  /** Shown with every plan: `offline command planner` or `model <endpoint>`. */
  name: string;
  plan(input: PlanInput): Promise<AIMessage>;
}
