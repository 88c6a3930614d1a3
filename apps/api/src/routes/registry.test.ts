import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { actionDigest, createApprovalGuard, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { createMlflowClient, createMlflowServer, createSqlTrackingStore, type MlflowClient } from "@mlops/mlflow";
import { createModelRegistry, type RegistryActionSpec, registryActionDigest } from "@mlops/registry";
import { createTestDatabase, type TestDatabase } from "@mlops/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAuthConfig } from "../auth/auth-config";
import { registryRoutes } from "./registry";

const MODEL = "news-classifier";
const TOKENS = { dan: "tok-dan-0123456789abcdef", ana: "tok-ana-0123456789abcdef" };
const auth = parseAuthConfig({ tokens: Object.entries(TOKENS).map(([user, token]) => ({ user, token })) });
const approvalConfig = parseApprovalConfig({ approvers: { users: ["ana"] } });

describe("registry routes with the approvals guard (built-in MLflow server over HTTP)", () => {
  let t: TestDatabase;
  let mlflow: MlflowClient;
  let app: Hono<{ Variables: { user: string } }>;
  let close: () => Promise<void>;
  let artifactRoot: string;

  beforeAll(async () => {
    t = await createTestDatabase("postgres", "registryroutes");
    artifactRoot = mkdtempSync(join(tmpdir(), "mlops-artifacts-"));
    const tracking = createMlflowServer({ store: createSqlTrackingStore(t.database.sql), artifactRoot });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: tracking.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    close = () => new Promise((resolve) => server.close(() => resolve()));
    mlflow = createMlflowClient({ trackingUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    const db = t.database.db;
    const registry = createModelRegistry({ mlflow, db });
    app = new Hono<{ Variables: { user: string } }>().route(
      "/",
      registryRoutes({
        registry,
        auth,
        approvalGuardFor: ({ actor, approvalId }) =>
          createApprovalGuard({ db, actor, channel: "api", config: approvalConfig, approvalIdFor: () => approvalId }),
      }),
    );
    const experimentId = await mlflow.experiments.create({ name: "news" });
    for (const [name, accuracy] of [
      ["v1", 0.9],
      ["v2", 0.95],
    ] as const) {
      const runId = (await mlflow.runs.create({ experimentId, runName: name })).info.run_id;
      await registry.register({
        model: MODEL,
        runId,
        metrics: { accuracy, f1: accuracy - 0.02, precision: accuracy, recall: accuracy },
        spec: { kind: "endpoint", endpoint: name, model: name, promptTemplateVersion: "v1", labels: ["A", "B"] },
      });
    }
  }, 60_000);
  afterAll(async () => {
    await close?.();
    await t?.cleanup();
    rmSync(artifactRoot, { recursive: true, force: true });
  });

  const call = (method: string, path: string, user?: keyof typeof TOKENS, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        ...(user ? { authorization: `Bearer ${TOKENS[user]}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("computes the same digest as the approvals package", async () => {
    const plan = (await (await call("GET", `/v1/registry/models/${MODEL}/plan/promote`, "dan")).json()) as {
      action: RegistryActionSpec;
      digest: string;
    };
    expect(plan.action).toEqual({
      kind: "registry.promote",
      target: MODEL,
      change: { model: MODEL, version: "2", alias: "champion", fromVersion: "1" },
    });
    expect(plan.digest).toBe(actionDigest(plan.action));
    expect(registryActionDigest(plan.action)).toBe(actionDigest(plan.action));
  });

  it("needs a token, shows status, and names unknown models", async () => {
    expect((await call("GET", `/v1/registry/models/${MODEL}`)).status).toBe(401);
    const status = await (await call("GET", `/v1/registry/models/${MODEL}`, "dan")).json();
    expect(status).toMatchObject({ aliases: { champion: "1", challenger: "2" }, awaitingReview: true });
    const missing = await call("GET", "/v1/registry/models/nope", "dan");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("REGISTRY_MODEL_NOT_FOUND");
  });

  it("refuses promotion without an approval, promotes with one for exactly that change, rolls back with another", async () => {
    const refused = await call("POST", `/v1/registry/models/${MODEL}/promote`, "dan", {});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("APPROVAL_MISSING");
    expect(await (await call("GET", `/v1/registry/models/${MODEL}`, "dan")).json()).toMatchObject({
      aliases: { champion: "1", challenger: "2" },
    });

    const approvals = createApprovalService({ db: t.database.db, config: approvalConfig });
    const plan = (await (await call("GET", `/v1/registry/models/${MODEL}/plan/promote`, "dan")).json()) as {
      action: RegistryActionSpec;
      digest: string;
    };
    const request = await approvals.request({
      action: plan.action,
      reason: "v2 beats v1 by 5 points",
      risk: { summary: "champion moves to v2", reversible: true, undo: "mlops registry rollback" },
      requestedBy: "dan",
      channel: "cli",
    });
    await approvals.approve({ id: request.id, approver: "ana", channel: "cli" });
    const promoted = await call("POST", `/v1/registry/models/${MODEL}/promote`, "dan", { approvalId: request.id });
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ champion: "2", defeated: "1", digest: plan.digest });
    expect((await approvals.get(request.id)).state).toBe("used");

    const history = (await (await call("GET", `/v1/registry/models/${MODEL}/history`, "dan")).json()) as {
      events: {
        alias: string;
        cause: string;
        approvalId: string | null;
        approvalDigest: string | null;
        actor: string;
      }[];
    };
    expect(history.events.filter((e) => e.cause === "promotion")).toHaveLength(3);
    expect(history.events.filter((e) => e.cause === "promotion").every((e) => e.approvalId === request.id)).toBe(true);

    const rollbackRefused = await call("POST", `/v1/registry/models/${MODEL}/rollback`, "dan", {
      approvalId: request.id,
    });
    expect(rollbackRefused.status).toBe(403);
    const rollbackPlan = (await (await call("GET", `/v1/registry/models/${MODEL}/plan/rollback`, "dan")).json()) as {
      action: RegistryActionSpec;
    };
    const rollbackRequest = await approvals.request({
      action: rollbackPlan.action,
      reason: "regression",
      risk: { summary: "champion back to v1", reversible: true },
      requestedBy: "dan",
      channel: "cli",
    });
    await approvals.approve({ id: rollbackRequest.id, approver: "ana", channel: "cli" });
    const rolledBack = await call("POST", `/v1/registry/models/${MODEL}/rollback`, "dan", {});
    expect(rolledBack.status).toBe(200);
    expect(await rolledBack.json()).toMatchObject({ champion: "1", defeated: "2", approvalId: rollbackRequest.id });
    const after = (await (await call("GET", `/v1/registry/models/${MODEL}/history?alias=champion`, "dan")).json()) as {
      events: { cause: string; approvalId: string | null; actor: string }[];
    };
    expect(after.events.at(-1)).toMatchObject({ cause: "rollback", approvalId: rollbackRequest.id, actor: "dan" });
  });

  it("lists registrations pending approval and registers one only with an approval of exactly its action", async () => {
    const experimentId = (await mlflow.experiments.getByName("news"))!.experiment_id;
    const runId = (await mlflow.runs.create({ experimentId, runName: "v3" })).info.run_id;
    const asked = await call("POST", "/v1/registry/versions", "dan", {
      model: MODEL,
      runId,
      metrics: { accuracy: 0.97, f1: 0.95, precision: 0.96, recall: 0.96 },
      spec: { kind: "endpoint", endpoint: "v3", model: "v3", promptTemplateVersion: "v1", labels: ["A", "B"] },
      requireApproval: true,
    });
    expect(asked.status).toBe(200);
    const outcome = (await asked.json()) as {
      status: string;
      pending: { id: string; alias: string; action: { kind: string }; digest: string };
    };
    expect(outcome.status).toBe("pending_approval");
    expect(outcome.pending.action.kind).toBe("registry.register");
    expect(outcome.pending.digest).toBe(actionDigest(outcome.pending.action as never));
    const versionsBefore = (
      (await (await call("GET", `/v1/registry/models/${MODEL}`, "dan")).json()) as {
        versions: unknown[];
      }
    ).versions.length;

    expect((await call("GET", "/v1/registry/pending")).status).toBe(401);
    const listed = (await (await call("GET", `/v1/registry/pending?model=${MODEL}`, "dan")).json()) as {
      pending: { id: string; approvalState: string }[];
    };
    expect(listed.pending).toEqual([expect.objectContaining({ id: outcome.pending.id, approvalState: "none" })]);

    const path = `/v1/registry/pending/${outcome.pending.id}/register`;
    const refused = await call("POST", path, "dan", {});
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("APPROVAL_MISSING");

    const approvals = createApprovalService({ db: t.database.db, config: approvalConfig });
    const pending = (await (await call("GET", `/v1/registry/pending/${outcome.pending.id}`, "dan")).json()) as {
      action: Parameters<typeof approvals.request>[0]["action"];
    };
    const request = await approvals.request({
      action: pending.action,
      reason: "register v3",
      risk: { summary: `registers a new version as ${outcome.pending.alias}`, reversible: true },
      requestedBy: "architect",
      channel: "worker",
    });
    await approvals.approve({ id: request.id, approver: "ana", channel: "cli" });
    const registered = await call("POST", path, "dan", { approvalId: request.id });
    expect(registered.status).toBe(201);
    expect(await registered.json()).toMatchObject({
      outcome: { status: "registered", alias: outcome.pending.alias, version: String(versionsBefore + 1) },
      approvalId: request.id,
      pending: { status: "registered", registeredBy: "dan" },
    });
    const again = await call("POST", path, "dan", { approvalId: request.id });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("REGISTRY_PENDING_RESOLVED");
    expect((await call("POST", "/v1/registry/pending/preg_nope/register", "dan", {})).status).toBe(404);
  });

  it("loads a spec by URI and lists runs", async () => {
    const loaded = await (
      await call("GET", `/v1/registry/spec?uri=${encodeURIComponent(`models:/${MODEL}@champion`)}`, "dan")
    ).json();
    expect(loaded).toMatchObject({ version: "1", spec: { endpoint: "v1" } });
    const runs = (await (await call("GET", "/v1/runs?experiment=news", "dan")).json()) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(3);
  });
});
