import { type ArchitectAgent, openArchitectAgent } from "@mlops/agent";
import { type ApprovalRequest, createApprovalGuard, parseApprovalConfig } from "@mlops/approvals";
import { endpointRegistryFromConfig } from "@mlops/experiments";
import { createModelRegistry, type ModelRegistry, parseCriteria } from "@mlops/registry";
import type { Stack } from "@mlops/stack";
import { Hono } from "hono";
import { parseAuthConfig } from "./auth/auth-config";
import { bearerAuth } from "./auth/bearer-auth";
import { handleError } from "./http/http-error";
import { consoleRoutes } from "./http/serve-console";
import { createApprovalsApi } from "./routes/approvals";
import { experimentRoutes } from "./routes/experiments";
import { healthRoutes } from "./routes/health";
import { jobRoutes } from "./routes/jobs";
import { monitorRoutes } from "./routes/monitors";
import { pipelineRoutes } from "./routes/pipelines";
import { registryRoutes } from "./routes/registry";
import { threadRoutes } from "./routes/threads";
import { createSlackChat, type SlackChat } from "./slack/slack-chat";

export interface ApiAppOptions {
  stack: Stack;
  version: string;
  embeddedWorker: boolean;
  /** Configuration sections to use instead of the project file's (main.ts adds the local user's defaults). */
  sections?: Record<string, unknown>;
  /** Directory of the web console's static files; no console when absent. */
  webRoot?: string;
  /** The architect and the approvals service it shares ({@link openApiArchitect}); no chat routes when absent. */
  architect?: ApiArchitect;
}

/** The architect as the API runs it: one approvals service for the routes, Slack and the agent. */
export interface ApiArchitect {
  agent: ArchitectAgent;
  approvalsApi: ReturnType<typeof createApprovalsApi>;
  registry: ModelRegistry;
  slackChat: SlackChat | undefined;
  /** Resolves when every resume started by a decision has finished (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the architect for the API: the approvals service (with Slack when configured) is made once and shared by
 * the approvals routes, Slack and the agent; a decision on an agent's approval, from any channel, resumes the
 * thread that waits for it (replying in Slack for Slack threads). The lakehouse is the stack's lazy one.
 */
export async function openApiArchitect(options: {
  stack: Stack;
  sections: Record<string, unknown>;
}): Promise<ApiArchitect> {
  const { stack, sections } = options;
  let agent: ArchitectAgent | undefined;
  let slackChat: SlackChat | undefined;
  const resumes = new Set<Promise<void>>();
  const onDecided = (request: ApprovalRequest) => {
    if (!agent) return;
    if (slackChat) return slackChat.decided(request);
    const work = (async () => {
      const resumed = await agent!.continueAfterDecision(request);
      if (resumed) for await (const _event of resumed.events);
    })()
      .catch((error) => stack.logger.warn({ err: error, approval: request.id }, "could not resume the thread"))
      .finally(() => resumes.delete(work));
    resumes.add(work);
  };
  const approvalsApi = createApprovalsApi({
    db: stack.database.db,
    sections,
    logger: stack.logger,
    onDecided,
    slackChat: () => slackChat,
  });
  const registry = createModelRegistry({
    mlflow: stack.tracking.client,
    db: stack.database.db,
    criteria: parseCriteria(sections.criteria),
  });
  const opened = await openArchitectAgent({
    config: { ...stack.config, sections },
    database: stack.database,
    jobs: stack.jobs,
    lakehouse: stack.lakehouse,
    approvals: approvalsApi.service,
    registry,
    logger: stack.logger,
  });
  agent = opened.agent;
  if (approvalsApi.web) {
    slackChat = createSlackChat({
      agent,
      approvals: approvalsApi.service,
      web: approvalsApi.web,
      logger: stack.logger,
    });
  }
  const idle = async () => {
    while (resumes.size > 0) await Promise.all([...resumes]);
    await slackChat?.idle();
  };
  return {
    agent,
    approvalsApi,
    registry,
    slackChat,
    idle,
    async close() {
      await idle();
      await opened.close();
    },
  };
}

/** The HTTP API as a Hono app: testable with `app.request(...)`, served by main.ts. */
export function createApiApp(options: ApiAppOptions) {
  const app = new Hono<{ Variables: { user: string } }>();
  app.onError(handleError);
  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  const sections = options.sections ?? options.stack.config.sections;
  // Every /v1 route acts as the user of a bearer token (configured ones, or the local user's); health checks, the
  // console's static files, Slack (signed requests) and MLflow's own paths stay open, as their clients expect.
  app.use("/v1/*", bearerAuth(parseAuthConfig(sections.auth)));
  app.route("/", healthRoutes(options.stack, { version: options.version, embeddedWorker: options.embeddedWorker }));
  app.route("/", jobRoutes(options.stack));
  app.route(
    "/",
    experimentRoutes({
      db: options.stack.database.db,
      jobs: options.stack.jobs,
      registry: () => endpointRegistryFromConfig(options.stack.config),
    }),
  );
  app.route("/", pipelineRoutes(options.stack));
  app.route("/", monitorRoutes(options.stack));
  const approvals =
    options.architect?.approvalsApi ??
    createApprovalsApi({ db: options.stack.database.db, sections, logger: options.stack.logger });
  app.route("/", approvals.routes);
  if (options.architect) {
    app.route(
      "/",
      threadRoutes({ agent: options.architect.agent, authorize: bearerAuth(parseAuthConfig(sections.auth)) }),
    );
  }
  app.route(
    "/",
    registryRoutes({
      registry:
        options.architect?.registry ??
        createModelRegistry({
          mlflow: options.stack.tracking.client,
          db: options.stack.database.db,
          criteria: parseCriteria(sections.criteria),
        }),
      auth: parseAuthConfig(sections.auth),
      approvalGuardFor: ({ actor, approvalId }) =>
        createApprovalGuard({
          db: options.stack.database.db,
          actor,
          channel: "api",
          config: parseApprovalConfig(sections.approvals ?? {}),
          approvalIdFor: () => approvalId,
        }),
    }),
  );
  // The built-in MLflow server answers MLflow's own paths, so MLFLOW_TRACKING_URI can be this API's URL.
  if (options.stack.tracking.server) app.route("/", options.stack.tracking.server);
  if (options.webRoot) app.route("/", consoleRoutes(options.webRoot));
  app.get("/", (c) => c.redirect(options.webRoot ? "/console/" : "/healthz"));
  return Object.assign(app, { approvals: approvals.service });
}
