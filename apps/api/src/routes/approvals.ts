import {
  type ApprovalRequest,
  type ApprovalService,
  createApprovalService,
  isApprovalError,
  parseApprovalConfig,
  requestApprovalInputSchema,
} from "@mlops/approvals";
import { type Clock, type Logger, MlopsError } from "@mlops/core";
import type { AppDatabase } from "@mlops/db";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { type AuthConfig, parseAuthConfig } from "../auth/auth-config";
import { bearerAuth } from "../auth/bearer-auth";
import { handleError } from "../http/http-error";
import { parseBody } from "../http/parse-body";
import { approvalMessage } from "../slack/approval-blocks";
import { parseSlackConfig } from "../slack/slack-config";
import { createSlackApprovalNotifier } from "../slack/slack-notifier";
import { type SlackChatRoutes, slackRoutes } from "../slack/slack-routes";
import { createSlackWebApi, type SlackWebApi } from "../slack/slack-web-api";

/** HTTP status of each approval refusal. */
const STATUS_BY_APPROVAL_CODE: Record<string, ContentfulStatusCode> = {
  APPROVAL_NOT_FOUND: 404,
  APPROVAL_MISSING: 404,
  APPROVAL_ACTION_INVALID: 400,
  APPROVAL_NOT_ALLOWED: 403,
  APPROVAL_SELF: 403,
  APPROVAL_ALREADY_DECIDED: 409,
  APPROVAL_NOT_APPROVED: 409,
  APPROVAL_USED: 409,
  APPROVAL_DIGEST_MISMATCH: 409,
  APPROVAL_EXPIRED: 410,
};

function handleApprovalError(error: Error, c: Context) {
  if (isApprovalError(error)) return c.json({ error: error.toJSON() }, STATUS_BY_APPROVAL_CODE[error.code] ?? 400);
  return handleError(error, c);
}

/** Channels a caller of this API may name in `x-mlops-channel`; Slack has its own signed route. */
const HTTP_CHANNELS = ["api", "cli", "web"] as const;

function channelOf(c: Context): string {
  const claimed = c.req.header("x-mlops-channel");
  return HTTP_CHANNELS.find((ch) => ch === claimed) ?? "api";
}

const approveBody = z.object({ reason: z.string().max(2000).optional() });
const rejectBody = z.object({ reason: z.string().trim().min(1, "say why").max(2000) });
const listQuery = z.object({
  state: z.enum(["pending", "approved", "rejected", "expired", "used", "all"]).default("pending"),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** A JSON body that may be left out entirely (approve needs no reason). */
async function optionalBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new MlopsError("REQUEST_INVALID", "The request body is not valid JSON.");
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new MlopsError(
      "REQUEST_INVALID",
      `Invalid request body: ${result.error.issues.map((i) => i.message).join("; ")}`,
    );
  }
  return result.data;
}

export interface ApprovalRoutesDeps {
  approvals: ApprovalService;
  /** Bearer tokens (the `auth:` section); every route here needs one. */
  auth: AuthConfig;
}

/**
 * `/v1/approvals`: list (pending by default), request, show (with the full action and digest), approve, reject.
 * The caller is the user of their bearer token; decisions are recorded with the channel in `x-mlops-channel`
 * (api, cli or web).
 */
export function approvalRoutes(deps: ApprovalRoutesDeps) {
  const { approvals } = deps;
  const app = new Hono<{ Variables: { user: string } }>();
  app.onError(handleApprovalError);
  app.use("/v1/approvals", bearerAuth(deps.auth));
  app.use("/v1/approvals/*", bearerAuth(deps.auth));

  app.get("/v1/approvals", async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) throw new MlopsError("REQUEST_INVALID", `Invalid query: ${query.error.issues[0]?.message}`);
    const { state, limit } = query.data;
    return c.json({ approvals: await approvals.list({ ...(state === "all" ? {} : { state }), limit }) });
  });

  app.post("/v1/approvals", async (c) => {
    const body = await parseBody(c, requestApprovalInputSchema);
    const request = await approvals.request({ ...body, requestedBy: c.get("user"), channel: channelOf(c) });
    return c.json(request, 201);
  });

  app.get("/v1/approvals/:id", async (c) => c.json(await approvals.get(c.req.param("id"))));

  app.post("/v1/approvals/:id/approve", async (c) => {
    const body = await optionalBody(c, approveBody);
    const request = await approvals.approve({
      id: c.req.param("id"),
      approver: c.get("user"),
      channel: channelOf(c),
      reason: body.reason,
    });
    return c.json(request);
  });

  app.post("/v1/approvals/:id/reject", async (c) => {
    const body = await parseBody(c, rejectBody);
    const request = await approvals.reject({
      id: c.req.param("id"),
      approver: c.get("user"),
      channel: channelOf(c),
      reason: body.reason,
    });
    return c.json(request);
  });

  return app;
}

export interface ApprovalsApiOptions {
  db: AppDatabase;
  /** `config.sections` of the loaded AppConfig: reads `approvals:`, `auth:` and (optional) `slack:`. */
  sections: Record<string, unknown>;
  logger?: Logger;
  clock?: Clock;
  /** Told of every decision, after it is recorded (the architect resumes the thread that waits for it). */
  onDecided?: (request: ApprovalRequest) => void;
  /** The architect in Slack, for the Slack routes (mentions, direct messages, `/mlops`). */
  slackChat?: () => SlackChatRoutes | undefined;
}

/**
 * Everything approvals needs in the API, from configuration: the service (posting requests to Slack when `slack:`
 * is configured) and one Hono app with `/v1/approvals/*` and, with Slack, `POST /slack/events`.
 */
export function createApprovalsApi(options: ApprovalsApiOptions): {
  service: ApprovalService;
  routes: Hono;
  /** The Slack Web API client, when `slack:` is configured. */
  web: SlackWebApi | undefined;
} {
  const config = parseApprovalConfig(options.sections.approvals);
  const auth = parseAuthConfig(options.sections.auth);
  const slack = parseSlackConfig(options.sections.slack);
  const web = slack ? createSlackWebApi({ baseUrl: slack.apiUrl, token: slack.botToken }) : undefined;
  const service: ApprovalService = createApprovalService({
    db: options.db,
    config,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    notifier: {
      ...(slack && web
        ? createSlackApprovalNotifier({
            web,
            channel: slack.approvalsChannel,
            onPosted: (id, message) => service.attachSlackMessage(id, message),
          })
        : {}),
      async decided(request) {
        options.onDecided?.(request);
        if (slack && web && request.slack) await web.update({ ...request.slack, ...approvalMessage(request) });
      },
    },
  });
  const routes = new Hono().route("/", approvalRoutes({ approvals: service, auth }));
  if (slack && web) {
    routes.route(
      "/",
      slackRoutes({
        approvals: service,
        slack,
        web,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.slackChat ? { chat: options.slackChat } : {}),
      }),
    );
  }
  return { service, routes, web };
}
