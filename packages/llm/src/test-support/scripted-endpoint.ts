import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer. */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: unknown;
  delayMs?: number;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** An OpenAI-style completion body with the given content. */
export function completionBody(content: unknown, usage?: { prompt_tokens: number; completion_tokens: number }) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: "chat.completion",
    model: "scripted-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    ...(usage ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } } : {}),
  };
}

/**
 * A test HTTP server (127.0.0.1, port 0) answering requests with the scripted replies in turn (the last repeats),
 * recording what it received. Test support only: not exported from the package.
 */
export async function startScriptedEndpoint(replies: ScriptedReply[]) {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      requests.push({ path: req.url ?? "", headers: req.headers, body: raw ? JSON.parse(raw) : {} });
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)]!;
      setTimeout(() => {
        if (res.destroyed) return;
        const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(body);
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
