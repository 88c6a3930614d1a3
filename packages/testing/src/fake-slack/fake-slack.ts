import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API call the fake received. */
export interface FakeSlackCall {
  method: string;
  token: string | undefined;
  body: Record<string, unknown>;
}

/** A message as the fake holds it, after every chat.update. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  updates: number;
}

export interface FakeSlack {
  /** Base URL of the Web API (`…/api`), for the app's `slack.apiUrl`. */
  apiUrl: string;
  calls: FakeSlackCall[];
  /** Messages by `channel:ts`. */
  messages: Map<string, FakeSlackMessage>;
  ephemerals: { channel: string; user: string; text: string }[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return {};
  if ((req.headers["content-type"] ?? "").includes("application/json")) return JSON.parse(text);
  const form = Object.fromEntries(new URLSearchParams(text));
  for (const key of ["blocks", "attachments"]) if (typeof form[key] === "string") form[key] = JSON.parse(form[key]);
  return form;
}

/**
 * A local Slack Web API on a real HTTP server: `auth.test`, `chat.postMessage`, `chat.update` and
 * `chat.postEphemeral`, checking the bot token and recording every call and message.
 */
export async function startFakeSlack(options: { token: string; botUserId?: string }): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const messages = new Map<string, FakeSlackMessage>();
  const ephemerals: FakeSlack["ephemerals"] = [];
  let clock = 1_700_000_000;

  const reply = (res: ServerResponse, body: Record<string, unknown>) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0] ?? "";
    let body: Record<string, unknown>;
    try {
      body = await readBody(req);
    } catch {
      return reply(res, { ok: false, error: "invalid_json" });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? (body.token as string | undefined);
    calls.push({ method, token, body });
    if (token !== options.token) return reply(res, { ok: false, error: token ? "invalid_auth" : "not_authed" });
    switch (method) {
      case "auth.test":
        return reply(res, {
          ok: true,
          url: "https://fake.slack.test/",
          team: "fake",
          user: "mlops",
          user_id: options.botUserId ?? "UBOT",
        });
      case "chat.postMessage": {
        if (!body.channel) return reply(res, { ok: false, error: "channel_not_found" });
        clock += 1;
        const ts = `${clock}.000100`;
        const message = {
          channel: String(body.channel),
          ts,
          text: body.text as string | undefined,
          blocks: body.blocks as unknown[] | undefined,
          updates: 0,
        };
        messages.set(`${message.channel}:${ts}`, message);
        return reply(res, { ok: true, channel: message.channel, ts, message: { text: message.text } });
      }
      case "chat.update": {
        const message = messages.get(`${body.channel}:${body.ts}`);
        if (!message) return reply(res, { ok: false, error: "message_not_found" });
        message.text = body.text as string | undefined;
        message.blocks = body.blocks as unknown[] | undefined;
        message.updates += 1;
        return reply(res, { ok: true, channel: message.channel, ts: message.ts });
      }
      case "chat.postEphemeral":
        ephemerals.push({ channel: String(body.channel), user: String(body.user), text: String(body.text ?? "") });
        return reply(res, { ok: true, message_ts: `${clock}.000200` });
      default:
        return reply(res, { ok: false, error: "unknown_method" });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    calls,
    messages,
    ephemerals,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Headers Slack would send with `body`: `v0=` HMAC-SHA256 of `v0:timestamp:body` with the signing secret. */
export function signSlackRequest(
  signingSecret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}
