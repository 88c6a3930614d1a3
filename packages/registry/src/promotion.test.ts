import type { MlflowClient } from "@mlops/mlflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelRegistry, type ModelRegistry } from "./create-model-registry";
import { type RegistryApprovalAction, registryActionDigest } from "./registry-action";
import { isRegistryError } from "./registry-error";
import { startTrackingServer, type TestTrackingServer } from "./test-support/tracking-server";

const MODEL = "main.ml.news_classifier";

/**
 * A stand-in for the approvals package's guard (this package may not import it): it lets through only actions
 * whose digest was approved, once. apps/api's registry route test runs the real `createApprovalGuard`.
 */
function digestGuard() {
  const approved = new Set<string>();
  const seen: RegistryApprovalAction[] = [];
  return {
    approve: (action: RegistryApprovalAction) => approved.add(registryActionDigest(action)),
    seen,
    guard: async (action: RegistryApprovalAction) => {
      seen.push(action);
      const digest = registryActionDigest(action);
      if (!approved.delete(digest)) throw new Error(`APPROVAL_MISSING for ${digest.slice(0, 12)}`);
    },
  };
}

async function newRun(
  mlflow: MlflowClient,
  name: string,
  extra: { metrics?: Record<string, number>; tags?: Record<string, string> } = {},
) {
  const experimentId =
    (await mlflow.experiments.getByName("promo"))?.experiment_id ??
    (await mlflow.experiments.create({ name: "promo" }));
  const runId = (await mlflow.runs.create({ experimentId, runName: name })).info.run_id;
  await mlflow.runs.logBatch(runId, {
    metrics: Object.entries(extra.metrics ?? {}).map(([key, value]) => ({ key, value })),
    tags: Object.entries(extra.tags ?? {}).map(([key, value]) => ({ key, value })),
  });
  return runId;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isRegistryError(e) ? e.code : String(e)),
  );
}

describe("promotion and rollback", () => {
  let server: TestTrackingServer;
  let registry: ModelRegistry;
  const aliases = async () => (await registry.status(MODEL)).aliases;

  beforeAll(async () => {
    server = await startTrackingServer("regpromotion");
    registry = createModelRegistry({ mlflow: server.mlflow, db: server.db });
    const v1 = await newRun(server.mlflow, "gpt-4o-mini", { metrics: { latency_p95_ms: 2500, cost_per_1k_usd: 0.5 } });
    await registry.register({
      model: MODEL,
      runId: v1,
      metrics: { accuracy: 0.9, f1: 0.86, precision: 0.85, recall: 0.84 },
      actor: "ana",
    });
    const v2 = await newRun(server.mlflow, "gpt-5.1", {
      metrics: { latency_p95_ms: 1500, cost_per_1k_usd: 0.15, "significance.mcnemar_p_value": 0.01 },
    });
    await registry.register({
      model: MODEL,
      runId: v2,
      metrics: { accuracy: 0.94, f1: 0.92, precision: 0.93, recall: 0.91 },
      actor: "ana",
    });
  }, 60_000);
  afterAll(async () => server?.cleanup());

  it("refuses to promote or roll back what is not there", async () => {
    expect(await codeOf(registry.rollback(MODEL, { actor: "dan", approvalGuard: async () => {} }))).toBe(
      "REGISTRY_NO_PREVIOUS_CHAMPION",
    );
    expect(await codeOf(registry.promote("unknown-model", { actor: "dan", approvalGuard: async () => {} }))).toBe(
      "REGISTRY_MODEL_NOT_FOUND",
    );
  });

  it("shows challenger and champion side by side with latency, cost, significance and the action to approve", async () => {
    const comparison = await registry.compareForPromotion(MODEL);
    expect(comparison.challenger.version).toBe("2");
    expect(comparison.champion?.version).toBe("1");
    const accuracy = comparison.metrics.find((m) => m.key === "accuracy");
    expect(accuracy).toMatchObject({ champion: 0.9, challenger: 0.94 });
    expect(accuracy?.difference).toBeCloseTo(0.04);
    expect(comparison.metrics.find((m) => m.key === "latency_p95_ms")).toMatchObject({
      champion: 2500,
      challenger: 1500,
    });
    expect(comparison.metrics.find((m) => m.key === "cost_per_1k_usd")).toMatchObject({
      champion: 0.5,
      challenger: 0.15,
    });
    expect(comparison.significance).toEqual({ "significance.mcnemar_p_value": "0.01" });
    expect(comparison.action).toEqual({
      kind: "registry.promote",
      target: MODEL,
      change: { model: MODEL, version: "2", alias: "champion", fromVersion: "1" },
    });
    expect(comparison.digest).toBe(registryActionDigest(comparison.action));
  });

  it("refuses promotion without a guard, or when the guard refuses, and changes nothing", async () => {
    expect(await codeOf(registry.promote(MODEL, { actor: "dan" }))).toBe("REGISTRY_APPROVAL_REQUIRED");
    const { guard, approve } = digestGuard();
    // approved: another change (promotion over a different champion) — not this one
    approve({ kind: "registry.promote", target: MODEL, change: { model: MODEL, version: "2", alias: "champion" } });
    expect(await codeOf(registry.promote(MODEL, { actor: "dan", approvalGuard: guard }))).toMatch(/APPROVAL_MISSING/);
    expect(await aliases()).toEqual({ champion: "1", challenger: "2" });
    expect(await registry.history(MODEL, { alias: "defeated" })).toEqual([]);
  });

  it("promotes with an approval for exactly that change and records the alias history", async () => {
    const { guard, approve, seen } = digestGuard();
    const plan = await registry.planPromotion(MODEL);
    approve(plan.action);
    const result = await registry.promote(MODEL, { actor: "dan", approvalGuard: guard, approvalId: "apr_1" });
    expect(seen).toEqual([plan.action]);
    expect(result).toMatchObject({ champion: "2", defeated: "1", digest: plan.digest });
    expect(await aliases()).toEqual({ champion: "2", defeated: "1" });
    const v1 = await server.mlflow.modelVersions.get(MODEL, "1");
    expect(v1.tags).toContainEqual({ key: "lifecycle_role", value: "defeated" });

    const history = await registry.history(MODEL);
    expect(history.map((e) => [e.alias, e.action, e.version, e.previousVersion, e.cause])).toEqual([
      ["champion", "set", "1", null, "registration"],
      ["challenger", "set", "2", null, "registration"],
      ["champion", "set", "2", "1", "promotion"],
      ["defeated", "set", "1", null, "promotion"],
      ["challenger", "removed", null, "2", "promotion"],
    ]);
    expect(
      history.slice(2).every((e) => e.actor === "dan" && e.approvalId === "apr_1" && e.approvalDigest === plan.digest),
    ).toBe(true);
    // the approval was used once: the same promotion cannot run again (and there is no challenger left)
    expect(await codeOf(registry.promote(MODEL, { actor: "dan", approvalGuard: guard }))).toBe(
      "REGISTRY_NO_CHALLENGER",
    );
  });

  it("rolls back to the previous champion only with an approval", async () => {
    const { guard, approve } = digestGuard();
    expect(await codeOf(registry.rollback(MODEL, { actor: "dan", approvalGuard: guard }))).toMatch(/APPROVAL_MISSING/);
    expect(await codeOf(registry.rollback(MODEL, { actor: "dan" }))).toBe("REGISTRY_APPROVAL_REQUIRED");
    expect(await aliases()).toEqual({ champion: "2", defeated: "1" });

    const plan = await registry.planRollback(MODEL);
    expect(plan.action).toEqual({
      kind: "registry.rollback",
      target: MODEL,
      change: { model: MODEL, version: "1", alias: "champion", fromVersion: "2" },
    });
    approve(plan.action);
    const result = await registry.rollback(MODEL, { actor: "dan", approvalGuard: guard, reason: "latency regression" });
    expect(result).toMatchObject({ champion: "1", defeated: "2" });
    expect(await aliases()).toEqual({ champion: "1", defeated: "2" });
    const last = (await registry.history(MODEL)).at(-2);
    expect(last).toMatchObject({
      alias: "champion",
      version: "1",
      previousVersion: "2",
      cause: "rollback",
      reason: "latency regression",
    });
    expect(
      (await registry.loadModelSpec(`models:/${MODEL}@champion`).catch((e: Error) => e.message)) as string,
    ).toMatch(/no readable model\/spec.json/);
  });

  it("deletes a version only with an approval, never the champion", async () => {
    const { guard, approve } = digestGuard();
    expect(await codeOf(registry.deleteVersion(MODEL, "1", { actor: "dan", approvalGuard: guard }))).toBe(
      "REGISTRY_VERSION_IS_CHAMPION",
    );
    expect(await codeOf(registry.deleteVersion(MODEL, "2", { actor: "dan", approvalGuard: guard }))).toMatch(
      /APPROVAL_MISSING/,
    );
    approve({ kind: "registry.delete_version", target: MODEL, change: { model: MODEL, version: "2" } });
    const result = await registry.deleteVersion(MODEL, "2", { actor: "dan", approvalGuard: guard });
    expect(result.removedAliases).toEqual(["defeated"]);
    expect(await codeOf(registry.deleteVersion(MODEL, "2", { actor: "dan", approvalGuard: guard }))).toBe(
      "REGISTRY_VERSION_NOT_FOUND",
    );
  });
});
