import type { EndpointConfig } from "../endpoints/endpoint-config";
import type { ChatMessage } from "./chat-types";

/** About four characters a token for English text; used only when an endpoint reports no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt tokens of a message list: content plus a few tokens of framing per message. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + 4, 2);
}

/** USD for the given usage at the endpoint's price per million tokens. */
export function costUsd(
  price: EndpointConfig["pricePerMillion"],
  usage: { promptTokens: number; completionTokens: number },
): number {
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}
