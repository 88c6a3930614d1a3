import { createApprovalGuard, parseApprovalConfig } from "@mlops/approvals";
import { endpointRegistryFromConfig } from "@mlops/experiments";
import { createModelRegistry, parseCriteria } from "@mlops/registry";
import type { Stack } from "@mlops/stack";
import { Hono } from "hono";
import { parseAuthConfig } from "./auth/auth-config";
import { handleError } from "./http/http-error";
import { consoleRoutes } from "./http/serve-console";
import { createApprovalsApi } from "./routes/approvals";
import { experimentRoutes } from "./routes/experiments";
import { healthRoutes } from "./routes/health";
import { jobRoutes } from "./routes/jobs";
import { pipelineRoutes } from "./routes/pipelines";
import { registryRoutes } from "./routes/registry";

export interface ApiAppOptions {
  stack: Stack;
  version: string;
  embeddedWorker: boolean;
  /** Configuration sections to use instead of the project file's (main.ts adds the local user's defaults). */
  sections?: Record<string, unknown>;
  /** Directory of the web console's static files; no console when absent. */
  webRoot?: string;
}

/** The HTTP API as a Hono app: testable with `app.request(...)`, served by main.ts. */
export function createApiApp(options: ApiAppOptions) {
  const app = new Hono<{ Variables: { user: string } }>();
  app.onError(handleError);
  app.notFound((c) =>
    c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  app.use("*", async (c, next) => {
    c.set("user", c.req.header("x-mlops-user") ?? "api");
    await next();
  });
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
  const sections = options.sections ?? options.stack.config.sections;
  const approvals = createApprovalsApi({ db: options.stack.database.db, sections, logger: options.stack.logger });
  app.route("/", approvals.routes);
  app.route(
    "/",
    registryRoutes({
      registry: createModelRegistry({
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
