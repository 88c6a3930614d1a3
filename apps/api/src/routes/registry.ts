import { isMlopsError, MlopsError } from "@mlops/core";
import {
  type ModelRegistry,
  modelSpecSchema,
  type RegistryApprovalGuard,
  type RegistryErrorCode,
} from "@mlops/registry";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AuthConfig } from "../auth/auth-config";
import { bearerAuth } from "../auth/bearer-auth";
import { handleError } from "../http/http-error";
import { parseBody } from "../http/parse-body";

const STATUS_BY_REGISTRY_CODE: Partial<Record<RegistryErrorCode, ContentfulStatusCode>> = {
  REGISTRY_MODEL_NOT_FOUND: 404,
  REGISTRY_VERSION_NOT_FOUND: 404,
  REGISTRY_ALIAS_NOT_FOUND: 404,
  REGISTRY_RUN_NOT_FOUND: 404,
  REGISTRY_EXPERIMENT_NOT_FOUND: 404,
  REGISTRY_NO_CHALLENGER: 409,
  REGISTRY_NO_CHAMPION: 409,
  REGISTRY_NO_PREVIOUS_CHAMPION: 409,
  REGISTRY_DUPLICATE: 409,
  REGISTRY_VERSION_IS_CHAMPION: 409,
  REGISTRY_APPROVAL_REQUIRED: 403,
  REGISTRY_TRACKING_UNREACHABLE: 503,
  REGISTRY_INVALID_URI: 400,
  REGISTRY_INVALID_SPEC: 400,
  REGISTRY_INVALID_CRITERIA: 400,
  REGISTRY_INVALID_INPUT: 400,
  REGISTRY_PENDING_NOT_FOUND: 404,
  REGISTRY_PENDING_RESOLVED: 409,
};

/** Registry errors by code; an approval refusal (APPROVAL_*) from the guard is a 403. */
function handleRegistryError(error: Error, c: Context) {
  if (isMlopsError(error)) {
    const status =
      STATUS_BY_REGISTRY_CODE[error.code as RegistryErrorCode] ??
      (error.code.startsWith("APPROVAL_") ? 403 : undefined);
    if (status) return c.json({ error: error.toJSON() }, status);
  }
  return handleError(error, c);
}

const changeBody = z.object({
  approvalId: z.string().min(1).optional().describe("The approval to use; omitted: found by the action's digest"),
  reason: z.string().max(2000).optional(),
});

const registerBody = z.object({
  model: z.string().min(1),
  runId: z.string().min(1),
  metrics: z.record(z.string(), z.number()),
  spec: modelSpecSchema.optional(),
  tags: z.record(z.string(), z.string()).optional(),
  description: z.string().optional(),
  register: z.boolean().optional(),
  requireApproval: z.boolean().optional(),
});

const pendingQuery = z.object({
  model: z.string().min(1).optional(),
  status: z.enum(["pending", "registering", "registered", "duplicate", "all"]).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const runsQuery = z.object({
  experiment: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const compareBody = z.object({
  runIds: z.array(z.string().min(1)).optional(),
  experiment: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(100).optional(),
});

export interface RegistryRoutesDeps {
  registry: ModelRegistry;
  /**
   * The approval guard for one promotion, rollback, deletion or approved registration: the approvals package's
   * `createApprovalGuard` with the caller as actor and the approval id they named (if any).
   */
  approvalGuardFor: (input: { actor: string; approvalId: string | undefined }) => RegistryApprovalGuard;
  /** When given, every route needs a bearer token and the actor is the token's user. */
  auth?: AuthConfig | undefined;
}

/**
 * `/v1/registry/*` (model status, comparison, promotion, rollback, alias history, registration, registrations
 * pending approval and their completion, spec loading) and
 * `/v1/runs/*` (list, show, compare, the tracking outbox and its sync): the HTTP face of `@mlops/registry`.
 */
export function registryRoutes(deps: RegistryRoutesDeps) {
  const { registry } = deps;
  const app = new Hono<{ Variables: { user: string } }>();
  app.onError(handleRegistryError);
  if (deps.auth) {
    for (const path of ["/v1/registry/*", "/v1/runs", "/v1/runs/*"]) app.use(path, bearerAuth(deps.auth));
  }
  const model = (c: Context) => c.req.param("model") as string;
  const actor = (c: Context<{ Variables: { user: string } }>) => c.get("user") ?? "api";

  app.get("/v1/registry/models/:model", async (c) => c.json(await registry.status(model(c))));
  app.get("/v1/registry/models/:model/compare", async (c) => c.json(await registry.compareForPromotion(model(c))));
  app.get("/v1/registry/models/:model/history", async (c) => {
    const alias = c.req.query("alias");
    return c.json({ events: await registry.history(model(c), alias ? { alias } : {}) });
  });
  app.get("/v1/registry/models/:model/plan/promote", async (c) => c.json(await registry.planPromotion(model(c))));
  app.get("/v1/registry/models/:model/plan/rollback", async (c) => c.json(await registry.planRollback(model(c))));

  for (const change of ["promote", "rollback"] as const) {
    app.post(`/v1/registry/models/:model/${change}`, async (c) => {
      const body = await parseBody(c, changeBody);
      const options = {
        actor: actor(c),
        approvalId: body.approvalId,
        reason: body.reason,
        approvalGuard: deps.approvalGuardFor({ actor: actor(c), approvalId: body.approvalId }),
      };
      const result =
        change === "promote" ? await registry.promote(model(c), options) : await registry.rollback(model(c), options);
      return c.json(result);
    });
  }

  app.delete("/v1/registry/models/:model/versions/:version", async (c) => {
    const approvalId = c.req.query("approvalId");
    const result = await registry.deleteVersion(model(c), c.req.param("version"), {
      actor: actor(c),
      approvalId,
      approvalGuard: deps.approvalGuardFor({ actor: actor(c), approvalId }),
    });
    return c.json(result);
  });

  app.post("/v1/registry/versions", async (c) => {
    const body = await parseBody(c, registerBody);
    const outcome = await registry.register({ ...body, actor: actor(c) });
    return c.json(outcome, outcome.status === "registered" ? 201 : 200);
  });

  app.get("/v1/registry/pending", async (c) => {
    const query = pendingQuery.safeParse(c.req.query());
    if (!query.success) throw new MlopsError("REQUEST_INVALID", `Invalid query: ${query.error.issues[0]?.message}`);
    return c.json({ pending: await registry.pending(query.data) });
  });
  app.get("/v1/registry/pending/:id", async (c) => c.json(await registry.pendingRegistration(c.req.param("id"))));
  app.post("/v1/registry/pending/:id/register", async (c) => {
    const body = await parseBody(c, changeBody.pick({ approvalId: true }));
    const ref = c.req.param("id");
    const pending = await registry.pendingRegistration(ref);
    // `:id` may be the approval request's id: then that is the approval to use
    const approvalId = body.approvalId ?? (ref !== pending.id ? ref : undefined);
    const result = await registry.registerApproved(ref, {
      actor: actor(c),
      approvalId,
      approvalGuard: deps.approvalGuardFor({ actor: actor(c), approvalId }),
    });
    return c.json(result, result.outcome.status === "registered" ? 201 : 200);
  });

  app.get("/v1/registry/spec", async (c) => c.json(await registry.loadModelSpec(c.req.query("uri") ?? "")));

  app.get("/v1/runs", async (c) => {
    const query = runsQuery.safeParse(c.req.query());
    if (!query.success) throw new MlopsError("REQUEST_INVALID", `Invalid query: ${query.error.issues[0]?.message}`);
    return c.json({ runs: await registry.listRuns(query.data) });
  });
  app.get("/v1/runs/outbox", async (c) => c.json({ entries: await registry.outbox() }));
  app.post("/v1/runs/sync", async (c) => c.json(await registry.syncOutbox()));
  app.post("/v1/runs/compare", async (c) => c.json(await registry.compareRuns(await parseBody(c, compareBody))));
  app.get("/v1/runs/:id", async (c) => c.json(await registry.showRun(c.req.param("id"))));

  return app;
}
