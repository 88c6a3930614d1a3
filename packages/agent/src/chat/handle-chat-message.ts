import type { ArchitectAgent } from "./architect-agent";
import type { ApprovalInterrupt, ChatEvent } from "./chat-events";

/** What a channel without streaming (Slack) posts back: the final text and, when stopped, what waits for approval. */
export interface ChatReply {
  threadId: string;
  status: "completed" | "interrupted" | "failed";
  text: string;
  interrupt: ApprovalInterrupt | null;
  events: ChatEvent[];
}

/**
 * Handles one chat message from any channel: creates the thread on first use (the channel picks its id, e.g. a
 * Slack thread), runs the agent and collects the reply. `channel` is where the message came from (`slack`, …).
 */
export async function handleChatMessage(
  agent: ArchitectAgent,
  threadId: string,
  text: string,
  channel: string,
  user = `${channel}-user`,
): Promise<ChatReply> {
  await agent.createThread({ id: threadId, channel, createdBy: user });
  return collect(threadId, agent.send(threadId, text, { user, channel }));
}

/** Drains a run into a {@link ChatReply}. */
export async function collect(threadId: string, events: AsyncIterable<ChatEvent>): Promise<ChatReply> {
  const seen: ChatEvent[] = [];
  let text = "";
  let interrupt: ApprovalInterrupt | null = null;
  let status: ChatReply["status"] = "completed";
  for await (const event of events) {
    seen.push(event);
    if (event.type === "message") text = event.text;
    if (event.type === "interrupt") {
      const { type: _type, ...payload } = event;
      interrupt = payload;
      text = text ? `${text}\n${payload.message}` : payload.message;
    }
    if (event.type === "error") {
      status = "failed";
      text = event.message;
    }
    if (event.type === "done") status = event.status;
  }
  return { threadId, status, text, interrupt, events: seen };
}
