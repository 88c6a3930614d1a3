import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { ChatEvent } from "../chat/chat-events";

/** Sends an event to whoever streams the run (`streamMode: "custom"`); a no-op otherwise. */
export function emit(config: LangGraphRunnableConfig | undefined, event: ChatEvent): void {
  config?.writer?.(event);
}
