import { MlopsError } from "@mlops/core";

export interface SlackWebApiOptions {
  /** @defaultValue https://slack.com/api */
  baseUrl?: string;
  token: string;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

export interface SlackMessageRef {
  channel: string;
  ts: string;
}

/** The few Slack Web API methods approvals use, over fetch. A reply with `ok: false` throws. */
export function createSlackWebApi(options: SlackWebApiOptions) {
  const baseUrl = (options.baseUrl ?? "https://slack.com/api").replace(/\/$/, "");
  const doFetch = options.fetch ?? fetch;
  async function call<T extends Record<string, unknown>>(method: string, body: Record<string, unknown>): Promise<T> {
    const response = await doFetch(`${baseUrl}/${method}`, {
      method: "POST",
      headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const reply = (await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }))) as T & {
      ok?: boolean;
      error?: string;
    };
    if (!reply.ok) {
      throw new MlopsError("SLACK_API_FAILED", `Slack ${method} failed: ${reply.error ?? response.status}`, {
        hint: "Check slack.botToken and that the app is in the channel.",
        context: { method },
      });
    }
    return reply;
  }
  return {
    authTest: () => call<{ user_id: string; team: string }>("auth.test", {}),
    async postMessage(message: {
      channel: string;
      text: string;
      blocks?: unknown[];
      /** Replies in this thread. */
      thread_ts?: string;
    }): Promise<SlackMessageRef> {
      const reply = await call<{ channel: string; ts: string }>("chat.postMessage", message);
      return { channel: reply.channel, ts: reply.ts };
    },
    async update(message: SlackMessageRef & { text: string; blocks?: unknown[] }): Promise<void> {
      await call("chat.update", { ...message });
    },
    async postEphemeral(message: { channel: string; user: string; text: string }): Promise<void> {
      await call("chat.postEphemeral", message);
    },
  };
}
export type SlackWebApi = ReturnType<typeof createSlackWebApi>;
