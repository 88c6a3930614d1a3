import type { ChatMessage } from "../client/chat-types";
import {
  addRedactionCounts,
  emptyRedactionCounts,
  type GuardrailOptions,
  type RedactionCounts,
  redactPii,
} from "./redact-pii";

/** Redacts every message's content; counts are summed over messages. */
export function redactMessages(
  messages: readonly ChatMessage[],
  options: GuardrailOptions = {},
): { messages: ChatMessage[]; counts: RedactionCounts } {
  const counts = emptyRedactionCounts();
  const out = messages.map((message) => {
    const result = redactPii(message.content, options);
    addRedactionCounts(counts, result.counts);
    return { ...message, content: result.text };
  });
  return { messages: out, counts };
}
