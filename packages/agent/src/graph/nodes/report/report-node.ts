import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { newId } from "@mlops/core";
import type { Planner } from "../../../planner/planner";
import { emit } from "../../emit";
import type { ArchitectStateType, ArchitectUpdate } from "../../state";
import { renderReport } from "./report-prompt";

function textOf(message: BaseMessage | undefined): string {
  if (!message) return "";
  return typeof message.content === "string"
    ? message.content
    : message.content.map((part) => ("text" in part && typeof part.text === "string" ? part.text : "")).join("");
}

/**
 * Ends the request with a message: the planner model's own answer, or (offline planner, or a model that said
 * nothing) a report of every step and its result.
 */
export function createReportNode(planner: Planner, options: { offline: boolean }) {
  return async (state: ArchitectStateType, config?: LangGraphRunnableConfig): Promise<ArchitectUpdate> => {
    const answer = textOf(state.messages.at(-1)).trim();
    const results = Object.values(state.results);
    const rendered = (options.offline || answer === "") && results.length > 0;
    const report = rendered ? renderReport(planner.name, results) : answer || "Nothing to do.";
    emit(config, { type: "message", text: report, planner: planner.name });
    return {
      finalReport: report,
      ...(rendered ? { messages: [new AIMessage({ id: newId("msg"), content: report })] } : {}),
    };
  };
}
