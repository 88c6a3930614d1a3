import { type ArchitectAgent, type ChatEvent, collect } from "@mlops/agent";
import type { ApprovalRequest, ApprovalService } from "@mlops/approvals";
import { formatError, type Logger, silentLogger } from "@mlops/core";
import { z } from "zod";
import { approvalMessage } from "./approval-blocks";
import type { SlackWebApi } from "./slack-web-api";

export interface SlackChatOptions {
  agent: ArchitectAgent;
  approvals: ApprovalService;
  web: SlackWebApi;
  logger?: Logger;
}

/** Slack events the architect answers: a mention of the app, or a direct message to it. */
const chatEvent = z.object({
  type: z.enum(["app_mention", "message"]),
  channel: z.string().min(1),
  user: z.string().min(1).optional(),
  text: z.string().default(""),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  channel_type: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
});

export type SlackChat = ReturnType<typeof createSlackChat>;

/** The chat thread of a Slack thread: one conversation per Slack thread (a top-level message starts one). */
export function slackThreadId(channel: string, threadTs: string): string {
  return `slack:${channel}:${threadTs}`;
}

function slackThreadOf(threadId: string): { channel: string; ts: string } | undefined {
  const match = /^slack:([^:]+):(.+)$/.exec(threadId);
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}

/** One line per step as it finishes, for the progress message. */
function progressLine(event: ChatEvent): string | undefined {
  if (event.type === "plan") {
    return `:memo: Plan (${event.planner}): ${event.steps.map((s) => `${s.description}${s.effect === "gated" ? " _(needs approval)_" : ""}`).join("; ")}`;
  }
  if (event.type === "progress" && event.status === "queued")
    return `:hourglass_flowing_sand: ${event.tool} queued as job \`${event.jobId}\``;
  if (event.type === "tool_end") return `${event.ok ? ":white_check_mark:" : ":x:"} ${event.tool}: ${event.status}`;
  return undefined;
}

/**
 * The architect in Slack: a mention, a direct message or `/mlops <request>` runs `handleChatMessage` on the chat
 * thread of the Slack thread, and the progress and the result are posted in that Slack thread (`thread_ts`). When
 * the agent stops for approval, the requests are posted there with Approve / Reject buttons; a decision anywhere
 * (those buttons, the approvals channel, the CLI, the console) resumes the thread and its result lands in Slack.
 */
export function createSlackChat(options: SlackChatOptions) {
  const { agent, web, approvals } = options;
  const logger = options.logger ?? silentLogger();
  const inFlight = new Set<Promise<void>>();

  const track = (work: Promise<void>) => {
    const done = work
      .catch((error) => logger.error({ err: error }, "slack chat failed"))
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };

  const post = (channel: string, threadTs: string, text: string, blocks?: unknown[]) =>
    web.postMessage({ channel, thread_ts: threadTs, text, ...(blocks ? { blocks } : {}) });

  /** Posts a run's progress, its report, and each approval it waits for (with buttons), in the Slack thread. */
  async function relay(channel: string, threadTs: string, events: AsyncIterable<ChatEvent>): Promise<void> {
    const progress: string[] = [];
    const reply = await collect(
      slackThreadId(channel, threadTs),
      (async function* () {
        for await (const event of events) {
          const line = progressLine(event);
          if (line) progress.push(line);
          yield event;
        }
      })(),
    );
    if (progress.length) await post(channel, threadTs, progress.join("\n"));
    if (reply.interrupt) {
      await post(channel, threadTs, reply.interrupt.message);
      for (const pending of reply.interrupt.approvals) {
        const request = await approvals.get(pending.approvalId);
        const message = approvalMessage(request);
        await post(channel, threadTs, message.text, message.blocks);
      }
      return;
    }
    await post(channel, threadTs, reply.status === "failed" ? `:x: ${reply.text}` : reply.text || "(no answer)");
  }

  async function converse(channel: string, threadTs: string, text: string, slackUser: string): Promise<void> {
    const threadId = slackThreadId(channel, threadTs);
    const user = approvals.approverForSlackUser(slackUser) ?? `slack:${slackUser}`;
    try {
      await agent.createThread({ id: threadId, channel: "slack", createdBy: user, title: text.slice(0, 80) });
      await relay(channel, threadTs, agent.send(threadId, text, { user, channel: "slack" }));
    } catch (error) {
      await post(channel, threadTs, `:no_entry: ${formatError(error)}`);
    }
  }

  return {
    /** An Events API callback (`event_callback`'s `event`): mentions and direct messages start or continue a thread. */
    event(raw: unknown): void {
      const parsed = chatEvent.safeParse(raw);
      if (!parsed.success) return;
      const event = parsed.data;
      if (event.bot_id || event.subtype || !event.user) return; // our own posts and edits
      if (event.type === "message" && event.channel_type !== "im") return;
      const text = event.text.replace(/<@[A-Z0-9]+>/g, "").trim();
      if (!text) return;
      track(converse(event.channel, event.thread_ts ?? event.ts, text, event.user));
    },

    /** `/mlops <request>`: answered at once; the conversation goes on in a thread under a message posted for it. */
    command(input: { text: string; userId: string; channelId: string | undefined }): { text: string } {
      const text = input.text.trim();
      if (!text)
        return {
          text: "Usage: /mlops <request>, e.g. /mlops compare local/tfidf-logreg and local/naive-bayes on the sample",
        };
      if (!input.channelId) return { text: "Run /mlops in a channel or a direct message with the app." };
      const channel = input.channelId;
      track(
        (async () => {
          const head = await web.postMessage({ channel, text: `<@${input.userId}> asked: ${text}` });
          await converse(channel, head.ts, text, input.userId);
        })(),
      );
      return { text: `On it: "${text}" (answers in the thread)` };
    },

    /** A decision on one of the agent's approvals: resumes the thread waiting for it, replying in Slack when it is a Slack thread. */
    decided(request: ApprovalRequest): void {
      track(
        (async () => {
          const resumed = await agent.continueAfterDecision(request);
          if (!resumed) return;
          const slack = slackThreadOf(resumed.threadId);
          if (slack && resumed.channel === "slack") await relay(slack.channel, slack.ts, resumed.events);
          else for await (const _event of resumed.events); // the thread's owner reads the report from the thread
        })(),
      );
    },

    /** Resolves when every reply started so far was posted (tests, shutdown). */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
