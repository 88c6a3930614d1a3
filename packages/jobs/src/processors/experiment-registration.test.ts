import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ApprovalService,
  actionDigest,
  createApprovalGuard,
  createApprovalService,
  parseApprovalConfig,
} from "@mlops/approvals";
import { isMlopsError, silentLogger } from "@mlops/core";
import {
  createExperimentRuntime,
  type ExperimentReport,
  ExperimentStore,
  runExperimentInProcess,
} from "@mlops/experiments";
import { createEndpointRegistry } from "@mlops/llm";
import { createMlflowClient, createMlflowServer, createSqlTrackingStore, type MlflowClient } from "@mlops/mlflow";
import { createModelRegistry, type ModelRegistry, parseCriteria, registryActionDigest } from "@mlops/registry";
import { createTestDatabase, type TestDatabase } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordExperimentOutcome } from "./experiment-outcome";
import type { ModelRegistrationSummary } from "./experiment-registration";

const MODEL = "news-classifier-approved";
const approvalConfig = parseApprovalConfig({ approvers: { users: ["ana"] } });
// every gate at 0: the best model would be champion, so the alias after approval is known
const criteria = parseCriteria({ accuracy: 0, f1: 0, precision: 0, recall: 0 });

let t: TestDatabase;
let store: ExperimentStore;
let mlflow: MlflowClient;
let artifactRoot: string;
let report: ExperimentReport;
let registry: ModelRegistry;
let approvals: ApprovalService;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isMlopsError(e) ? e.code : String(e)),
  );
}

const guardFor = (approvalId?: string) =>
  createApprovalGuard({
    db: t.database.db,
    actor: "dan",
    channel: "cli",
    config: approvalConfig,
    approvalIdFor: () => approvalId,
  });

beforeAll(async () => {
  t = await createTestDatabase("postgres", "expregapproval");
  store = new ExperimentStore(t.database.db);
  artifactRoot = mkdtempSync(join(tmpdir(), "mlops-exp-regapproval-"));
  const server = createMlflowServer({ store: createSqlTrackingStore(t.database.sql), artifactRoot });
  mlflow = createMlflowClient({
    trackingUri: "http://mlflow.test",
    fetch: async (input, init) => server.fetch(new Request(input, init)),
  });
  registry = createModelRegistry({ mlflow, db: t.database.db, criteria });
  approvals = createApprovalService({ db: t.database.db, config: approvalConfig });
  const runtime = createExperimentRuntime({
    store,
    registry: createEndpointRegistry({ endpoints: [], credentials: {} }),
    logger: silentLogger(),
    cache: false,
    workerId: "test",
  });
  report = await runExperimentInProcess(runtime, {
    dataset: "sample",
    models: ["local/tfidf-logreg", "local/naive-bayes", "local/lexicon-sentiment"],
    sentimentCol: "sentiment",
    seed: 7,
  });
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
  if (artifactRoot) rmSync(artifactRoot, { recursive: true, force: true });
});

describe("--require-approval: registration waits for an approval of exactly registry.register", () => {
  let pending: ModelRegistrationSummary[];

  it("registers nothing, records each pending registration and asks for one approval each (once, on retries)", async () => {
    const stored = await recordExperimentOutcome(
      { store, logger: silentLogger(), mlflow, registry, approvals },
      report,
      { model: MODEL, register: true, requireApproval: true },
    );
    expect(stored.tracking.status).toBe("logged");
    pending = stored.registrations.filter((r) => r.status === "pending_approval");
    expect(pending.length).toBeGreaterThanOrEqual(2);
    expect(await codeOf(registry.status(MODEL))).toBe("REGISTRY_MODEL_NOT_FOUND");

    for (const p of pending) {
      expect(p.pendingId).toMatch(/^preg/);
      expect(p.approvalId).toBeDefined();
      expect(p.message).toContain(`mlops registry register ${p.pendingId} --approval ${p.approvalId}`);
      const request = await approvals.get(p.approvalId!);
      expect(request).toMatchObject({ state: "pending", requestedBy: "architect", requiredApprovals: 1 });
      expect(request.action.kind).toBe("registry.register");
      expect(request.action.parameters).toMatchObject({ model: MODEL, runId: p.runId });
      expect(request.risk.summary).toContain(`alias ${p.alias}`);
      const record = await registry.pendingRegistration(p.pendingId!);
      expect(record).toMatchObject({ status: "pending", approvalId: p.approvalId, approvalState: "pending" });
      expect(record.digest).toBe(request.digest);
      expect(registryActionDigest(record.action)).toBe(actionDigest(record.action));
      expect((record.action.parameters.specDigest ?? "").length).toBe(64);
    }
    // nothing has a version yet, so each would be champion
    expect(pending.every((p) => p.alias === "champion")).toBe(true);
    expect((await registry.pending({ model: MODEL })).map((p) => p.id)).toEqual(pending.map((p) => p.pendingId));

    const again = await recordExperimentOutcome(
      { store, logger: silentLogger(), mlflow, registry, approvals },
      report,
      { model: MODEL, register: true, requireApproval: true },
    );
    const retried = again.registrations.filter((r) => r.status === "pending_approval");
    expect(retried.map((r) => [r.pendingId, r.approvalId])).toEqual(pending.map((r) => [r.pendingId, r.approvalId]));
    expect((await approvals.list()).filter((a) => a.action.kind === "registry.register")).toHaveLength(pending.length);
  }, 60_000);

  it("refuses without a guard, before approval, with another action's approval and after a rejection", async () => {
    const [best, second] = pending as [ModelRegistrationSummary, ModelRegistrationSummary];
    expect(await codeOf(registry.registerApproved(best.pendingId!, { actor: "dan" }))).toBe(
      "REGISTRY_APPROVAL_REQUIRED",
    );
    expect(
      await codeOf(
        registry.registerApproved(best.pendingId!, { actor: "dan", approvalGuard: guardFor(best.approvalId) }),
      ),
    ).toBe("APPROVAL_NOT_APPROVED");

    // approved, but for the second model's registration: another digest
    await approvals.approve({ id: second.approvalId!, approver: "ana", channel: "cli" });
    expect(
      await codeOf(
        registry.registerApproved(best.pendingId!, { actor: "dan", approvalGuard: guardFor(second.approvalId) }),
      ),
    ).toBe("APPROVAL_DIGEST_MISMATCH");
    expect((await approvals.get(second.approvalId!)).state).toBe("approved");

    await approvals.reject({ id: best.approvalId!, approver: "ana", channel: "cli", reason: "check it first" });
    expect(await codeOf(registry.registerApproved(best.pendingId!, { actor: "dan", approvalGuard: guardFor() }))).toBe(
      "APPROVAL_NOT_APPROVED",
    );
    expect(await registry.pendingRegistration(best.pendingId!)).toMatchObject({
      status: "pending",
      approvalState: "rejected",
    });
    expect(await codeOf(registry.status(MODEL))).toBe("REGISTRY_MODEL_NOT_FOUND");
  });

  it("registers after a new approval through the lifecycle with the alias it earns, once", async () => {
    const [best, second] = pending as [ModelRegistrationSummary, ModelRegistrationSummary];
    const record = await registry.pendingRegistration(best.pendingId!);
    const fresh = await approvals.request({
      action: record.action,
      reason: "asked again after the rejection",
      risk: { summary: "registers a new version as champion", reversible: true },
      requestedBy: "dan",
      channel: "cli",
    });
    await approvals.approve({ id: fresh.id, approver: "ana", channel: "cli" });
    // by the new approval's id, as `mlops registry register <approval id>` does
    const done = await registry.registerApproved(fresh.id, {
      actor: "dan",
      approvalId: fresh.id,
      approvalGuard: guardFor(fresh.id),
    });
    expect(done.outcome).toMatchObject({ status: "registered", version: "1", alias: "champion" });
    expect(done.approvalId).toBe(fresh.id);
    expect(done.pending).toMatchObject({ id: best.pendingId, status: "registered", version: "1" });
    expect(done.pending.registeredAlias).toBe("champion");
    expect((await approvals.get(fresh.id)).state).toBe("used");
    expect((await registry.status(MODEL)).aliases).toEqual({ champion: "1" });
    const history = await registry.history(MODEL, { alias: "champion" });
    expect(history.at(-1)).toMatchObject({ cause: "registration", actor: "dan", approvalId: fresh.id });
    expect((await mlflow.modelVersions.get(MODEL, "1")).run_id).toBe(best.runId);

    // the same registration again, or its used approval for another one: refused
    expect(
      await codeOf(registry.registerApproved(best.pendingId!, { actor: "dan", approvalGuard: guardFor(fresh.id) })),
    ).toBe("REGISTRY_PENDING_RESOLVED");
    expect(
      await codeOf(registry.registerApproved(second.pendingId!, { actor: "dan", approvalGuard: guardFor(fresh.id) })),
    ).toBe("APPROVAL_DIGEST_MISMATCH");
    expect((await registry.pending({ model: MODEL })).map((p) => p.id)).toEqual([second.pendingId]);
  });

  it("refuses a used approval, even when the registration after it failed; the lifecycle decides the alias again", async () => {
    const [, second] = pending as [ModelRegistrationSummary, ModelRegistrationSummary];
    const failing = createModelRegistry({
      mlflow: {
        ...mlflow,
        modelVersions: {
          ...mlflow.modelVersions,
          create: async () => {
            throw new Error("tracking server fell over");
          },
        },
      } as MlflowClient,
      db: t.database.db,
      criteria,
    });
    expect(
      await codeOf(
        failing.registerApproved(second.pendingId!, { actor: "dan", approvalGuard: guardFor(second.approvalId) }),
      ),
    ).toContain("fell over");
    expect(await registry.pendingRegistration(second.pendingId!)).toMatchObject({
      status: "pending",
      approvalState: "used",
      lastError: "tracking server fell over",
    });
    expect(
      await codeOf(
        registry.registerApproved(second.pendingId!, { actor: "dan", approvalGuard: guardFor(second.approvalId) }),
      ),
    ).toBe("APPROVAL_USED");
    expect((await registry.status(MODEL)).versions).toHaveLength(1);

    // asked for as champion; a champion exists now, so it registers as what it earns against v1
    const record = await registry.pendingRegistration(second.pendingId!);
    expect(record.alias).toBe("champion");
    const again = await approvals.request({
      action: record.action,
      reason: "once more",
      risk: { summary: "registers a new version", reversible: true },
      requestedBy: "dan",
      channel: "cli",
    });
    await approvals.approve({ id: again.id, approver: "ana", channel: "cli" });
    const next = await registry.registerApproved(second.pendingId!, { actor: "dan", approvalGuard: guardFor() });
    expect(next.outcome.status).toBe("registered");
    expect(next.approvalId).toBe(again.id);
    expect(next.outcome.status === "registered" && next.outcome.alias).not.toBe("champion");
    expect((await registry.status(MODEL)).aliases.champion).toBe("1");
    expect(await registry.pending({ model: MODEL })).toEqual([]);
  });
});
