import { type ArchitectAgent, type ChatEvent, isAgentError, resumeDecisionSchema } from "@mlops/agent";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { streamSSE } from "hono/streaming";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { handleError } from "../http/http-error";
import { parseBody } from "../http/parse-body";

const STATUS_BY_AGENT_CODE: Record<string, ContentfulStatusCode> = {
  AGENT_THREAD_NOT_FOUND: 404,
  AGENT_AWAITING_DECISION: 409,
  AGENT_NOTHING_TO_RESUME: 409,
  AGENT_INVALID_REQUEST: 400,
  AGENT_PLANNER_UNAVAILABLE: 503,
};

const CHANNELS = ["api", "cli", "web"] as const;
const channelOf = (c: Context) => CHANNELS.find((ch) => ch === c.req.header("x-mlops-channel")) ?? "api";

const createBody = z.object({ title: z.string().min(1).max(200).optional().describe("Shown in thread lists") });
const messageBody = z.object({ text: z.string().trim().min(1).max(20_000).describe("The person's request") });
const resumeBody = resumeDecisionSchema.pick({ decision: true, reason: true });
const planBody = messageBody;

export interface ThreadRoutesDeps {
  agent: ArchitectAgent;
  /** Applied to every route (bearer auth): the user it sets is who approves on resume. */
  authorize?: MiddlewareHandler;
}

/** Runs the first step of a stream before answering, so refusals (unknown thread…) are HTTP errors, not events. */
async function startStream(c: Context, events: AsyncGenerator<ChatEvent>) {
  const first = await events.next();
  return streamSSE(c, async (sse) => {
    let next = first;
    while (!next.done) {
      await sse.writeSSE({ event: next.value.type, data: JSON.stringify(next.value) });
      next = await events.next();
    }
  });
}

/**
 * Chat threads: `POST /v1/threads`, `GET /v1/threads/:id`, `POST /v1/threads/:id/messages` and
 * `POST /v1/threads/:id/resume` (both stream server-sent events: plan, tool_start, tool_end, progress, interrupt,
 * message, done), and `POST /v1/plan` (the planner's tool calls; runs nothing).
 */
export function threadRoutes(deps: ThreadRoutesDeps) {
  const { agent } = deps;
  const app = new Hono<{ Variables: { user: string } }>();
  app.onError((error, c) =>
    isAgentError(error)
      ? c.json({ error: error.toJSON() }, STATUS_BY_AGENT_CODE[error.code] ?? 500)
      : handleError(error, c),
  );
  if (deps.authorize) {
    app.use("/v1/threads", deps.authorize);
    app.use("/v1/threads/*", deps.authorize);
    app.use("/v1/plan", deps.authorize);
  }

  app.post("/v1/threads", async (c) => {
    const body = await parseBody(c, createBody);
    const thread = await agent.createThread({
      ...(body.title ? { title: body.title } : {}),
      channel: channelOf(c),
      createdBy: c.get("user"),
    });
    return c.json(thread, 201);
  });

  app.get("/v1/threads/:id", async (c) => c.json(await agent.getThread(c.req.param("id"))));

  app.post("/v1/threads/:id/messages", async (c) => {
    const body = await parseBody(c, messageBody);
    return startStream(c, agent.send(c.req.param("id"), body.text, { user: c.get("user"), channel: channelOf(c) }));
  });

  app.post("/v1/threads/:id/resume", async (c) => {
    const body = await parseBody(c, resumeBody);
    return startStream(c, agent.resume(c.req.param("id"), { ...body, approver: c.get("user"), channel: channelOf(c) }));
  });

  app.post("/v1/plan", async (c) => {
    const body = await parseBody(c, planBody);
    return c.json(await agent.plan(body.text));
  });

  return app;
}
