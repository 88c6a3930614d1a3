import { fixedClock } from "@mlops/core";
import { type AppDatabase, approvalDecisions, auditEvents } from "@mlops/db";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@mlops/testing";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ActionSpec,
  actionDigest,
  canonicalJson,
  createApprovalGuard,
  createApprovalService,
  executeApprovedJob,
  executeWithApproval,
  parseApprovalConfig,
  resolvePolicy,
} from "./index";

const config = parseApprovalConfig({
  approvers: { users: ["ana"], groups: { "ml-leads": ["bo", "chen"] } },
  rules: [{ kinds: ["registry.promote"], groups: ["ml-leads"] }],
  expiryHours: 24,
  slackUsers: { U0ANA: "ana" },
});

const deleteSql: ActionSpec = {
  kind: "lakehouse.sql",
  target: "main.silver.orders",
  sql: "DELETE FROM main.silver.orders WHERE order_date < '2020-01-01'",
};
const vacuum: ActionSpec = {
  kind: "lakehouse.sql",
  target: "main.silver.orders",
  sql: "VACUUM main.silver.orders RETAIN 0 HOURS",
};
const risk = { summary: "Deletes orders before 2020", rowsAffected: 1200, reversible: true, undo: "RESTORE TABLE" };

describe("canonical action digests", () => {
  it("ignores key order and whitespace, and changes with one character of SQL", () => {
    const a = {
      target: "t",
      kind: "lakehouse.sql",
      sql: "DELETE FROM t",
      parameters: { b: 1, a: [2, { d: 1, c: 2 }] },
    };
    const b = {
      kind: "lakehouse.sql",
      parameters: { a: [2, { c: 2, d: 1 }], b: 1 },
      sql: "DELETE FROM t",
      target: "t",
    };
    expect(canonicalJson(a)).toBe(
      '{"kind":"lakehouse.sql","parameters":{"a":[2,{"c":2,"d":1}],"b":1},"sql":"DELETE FROM t","target":"t"}',
    );
    expect(actionDigest(a as ActionSpec)).toBe(actionDigest(b as ActionSpec));
    expect(actionDigest(a as ActionSpec)).toMatch(/^[0-9a-f]{64}$/);
    expect(actionDigest({ ...(a as ActionSpec), sql: "DELETE FROM u" })).not.toBe(actionDigest(a as ActionSpec));
  });

  it("needs two approvals for irreversible actions and applies rules", () => {
    expect(resolvePolicy(config, deleteSql, "dan").requiredApprovals).toBe(1);
    expect(resolvePolicy(config, vacuum, "dan").requiredApprovals).toBe(2);
    expect(resolvePolicy(config, { kind: "lakehouse.sql", target: "x", sql: "DROP TABLE x" }, "dan").irreversible).toBe(
      true,
    );
    expect(resolvePolicy(config, deleteSql, "dan", { reversible: false }).requiredApprovals).toBe(2);
    const promote: ActionSpec = {
      kind: "registry.promote",
      target: "main.ml.news",
      change: { model: "main.ml.news", version: "7", alias: "champion", fromVersion: "5" },
    };
    expect(resolvePolicy(config, promote, "bo").approvers).toEqual(["chen"]);
    expect(resolvePolicy(config, deleteSql, "ana").approvers).toEqual(["bo", "chen"]);
  });
});

describe.each(TEST_DRIVERS)("approvals on %s", (driver) => {
  let t: TestDatabase;
  let db: AppDatabase;
  const clock = fixedClock(new Date("2030-01-01T10:00:00Z"));
  let service: ReturnType<typeof createApprovalService>;

  beforeAll(async () => {
    t = await createTestDatabase(driver, "approvals");
    db = t.database.db;
    service = createApprovalService({ db, config, clock });
  }, 90_000);
  afterAll(async () => t?.cleanup());

  const auditFor = async (subject: string) =>
    db.select().from(auditEvents).where(eq(auditEvents.subject, subject)).orderBy(asc(auditEvents.seq));
  const request = (action: ActionSpec = deleteSql, requestedBy = "dan") =>
    service.request({ action, requestedBy, channel: "agent", reason: "clean up old orders", risk });
  const execute = (action: ActionSpec, approvalId?: string) => {
    const performed: string[] = [];
    const run = executeWithApproval(
      { db, action, approvalId, actor: "worker:w1", channel: "worker", clock, config },
      async () => {
        performed.push(action.sql ?? action.kind);
        return "done";
      },
    );
    return { run, performed };
  };

  it("records a request, an approval and one execution, each in the audit log", async () => {
    const req = await request();
    expect(req).toMatchObject({
      state: "pending",
      digest: actionDigest(deleteSql),
      requiredApprovals: 1,
      action: deleteSql,
    });
    const approved = await service.approve({ id: req.id, approver: "ana", channel: "api" });
    expect(approved.state).toBe("approved");
    expect(approved.decisions).toMatchObject([{ approver: "ana", decision: "approve", channel: "api" }]);

    const first = execute(deleteSql, req.id);
    await expect(first.run).resolves.toBe("done");
    expect(first.performed).toHaveLength(1);
    expect((await service.get(req.id)).state).toBe("used");

    const again = execute(deleteSql, req.id);
    await expect(again.run).rejects.toMatchObject({ code: "APPROVAL_USED" });
    expect(again.performed).toHaveLength(0);

    const events = await auditFor(req.id);
    expect(events.map((e) => [e.action, e.actor, e.channel, e.outcome])).toEqual([
      ["approval.requested", "dan", "agent", "ok"],
      ["approval.approved", "ana", "api", "ok"],
      ["approval.consumed", "worker:w1", "worker", "ok"],
      ["approval.execution_refused", "worker:w1", "worker", "refused"],
    ]);
    expect(events.every((e) => e.digest === actionDigest(deleteSql))).toBe(true);
  });

  it("refuses self-approval and approvers the policy does not allow, and audits each refusal", async () => {
    const req = await request(deleteSql, "ana");
    await expect(service.approve({ id: req.id, approver: "ana", channel: "cli" })).rejects.toMatchObject({
      code: "APPROVAL_SELF",
    });
    await expect(service.approve({ id: req.id, approver: "mallory", channel: "cli" })).rejects.toMatchObject({
      code: "APPROVAL_NOT_ALLOWED",
    });
    expect((await service.get(req.id)).state).toBe("pending");
    const refused = (await auditFor(req.id)).filter((e) => e.outcome === "refused");
    expect(refused.map((e) => [e.actor, e.detail.code])).toEqual([
      ["ana", "APPROVAL_SELF"],
      ["mallory", "APPROVAL_NOT_ALLOWED"],
    ]);
    const { run, performed } = execute(deleteSql, req.id);
    await expect(run).rejects.toMatchObject({ code: "APPROVAL_NOT_APPROVED" });
    expect(performed).toEqual([]);
  });

  it("refuses decisions on and executions of expired requests", async () => {
    const local = fixedClock(clock.now());
    const s = createApprovalService({ db, config, clock: local });
    const pending = await s.request({
      action: deleteSql,
      requestedBy: "dan",
      channel: "agent",
      reason: "r",
      risk,
      expiresInHours: 1,
    });
    const approved = await s.request({
      action: deleteSql,
      requestedBy: "dan",
      channel: "agent",
      reason: "r",
      risk,
      expiresInHours: 1,
    });
    await s.approve({ id: approved.id, approver: "ana", channel: "api" });
    local.advance(61 * 60_000);
    await expect(s.approve({ id: pending.id, approver: "ana", channel: "api" })).rejects.toMatchObject({
      code: "APPROVAL_EXPIRED",
    });
    const performed: string[] = [];
    await expect(
      executeWithApproval(
        { db, action: deleteSql, approvalId: approved.id, actor: "w", channel: "worker", clock: local },
        async () => {
          performed.push("ran");
        },
      ),
    ).rejects.toMatchObject({ code: "APPROVAL_EXPIRED" });
    expect(performed).toEqual([]);
    expect((await auditFor(approved.id)).at(-1)).toMatchObject({
      action: "approval.execution_refused",
      outcome: "refused",
    });
    expect((await auditFor(pending.id)).at(-1)).toMatchObject({
      action: "approval.decision_refused",
      outcome: "refused",
    });
    expect(await s.list({ state: "pending" })).not.toContainEqual(expect.objectContaining({ id: pending.id }));
  });

  it("refuses an approval for a different digest: the SQL changed by one character", async () => {
    const req = await request({
      ...deleteSql,
      target: "main.silver.returns",
      sql: "DELETE FROM main.silver.returns WHERE id < 10",
    });
    await service.approve({ id: req.id, approver: "bo", channel: "slack" });
    const changed: ActionSpec = {
      ...deleteSql,
      target: "main.silver.returns",
      sql: "DELETE FROM main.silver.returns WHERE id < 100",
    };
    const byId = execute(changed, req.id);
    await expect(byId.run).rejects.toMatchObject({ code: "APPROVAL_DIGEST_MISMATCH" });
    const byDigest = execute(changed);
    await expect(byDigest.run).rejects.toMatchObject({ code: "APPROVAL_MISSING" });
    expect([...byId.performed, ...byDigest.performed]).toEqual([]);
    const refusals = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.digest, actionDigest(changed)));
    expect(refusals.map((e) => e.detail.code).sort()).toEqual(["APPROVAL_DIGEST_MISMATCH", "APPROVAL_MISSING"]);
    expect((await service.get(req.id)).state).toBe("approved");
  });

  it("records exactly one decision when one request is approved concurrently", async () => {
    const req = await request({ ...deleteSql, parameters: { run: "concurrent" } });
    const attempts = await Promise.allSettled([
      service.approve({ id: req.id, approver: "ana", channel: "slack" }),
      service.approve({ id: req.id, approver: "bo", channel: "api" }),
      service.approve({ id: req.id, approver: "ana", channel: "api" }),
      service.approve({ id: req.id, approver: "chen", channel: "cli" }),
      service.reject({ id: req.id, approver: "bo", channel: "slack", reason: "no" }),
    ]);
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((x) => x.status === "rejected")) {
      expect((a as PromiseRejectedResult).reason).toMatchObject({ code: "APPROVAL_ALREADY_DECIDED" });
    }
    const decisions = await db.select().from(approvalDecisions).where(eq(approvalDecisions.requestId, req.id));
    expect(decisions).toHaveLength(1);
    const events = await auditFor(req.id);
    expect(events.filter((e) => e.outcome === "ok" && e.action !== "approval.requested")).toHaveLength(1);
    expect(events.filter((e) => e.outcome === "refused")).toHaveLength(4);
  });

  it("executes once when two executions race for one approval", async () => {
    const action = { ...deleteSql, parameters: { run: "race" } };
    const req = await request(action);
    await service.approve({ id: req.id, approver: "ana", channel: "api" });
    let performed = 0;
    const runs = await Promise.allSettled(
      [1, 2, 3].map(() =>
        executeWithApproval({ db, action, actor: "w", channel: "worker", clock }, async () => {
          performed += 1;
        }),
      ),
    );
    expect(performed).toBe(1);
    expect(runs.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("needs two distinct approvers for VACUUM", async () => {
    const req = await request(vacuum);
    expect(req.requiredApprovals).toBe(2);
    await service.approve({ id: req.id, approver: "ana", channel: "api" });
    await expect(service.approve({ id: req.id, approver: "ana", channel: "slack" })).rejects.toMatchObject({
      code: "APPROVAL_ALREADY_DECIDED",
    });
    const early = execute(vacuum, req.id);
    await expect(early.run).rejects.toMatchObject({ code: "APPROVAL_NOT_APPROVED" });
    expect((await service.approve({ id: req.id, approver: "chen", channel: "cli" })).state).toBe("approved");
    const later = execute(vacuum, req.id);
    await expect(later.run).resolves.toBe("done");
    expect(early.performed.length + later.performed.length).toBe(1);
  });

  it("refuses a rejected request, and a rejection without a reason", async () => {
    const action = { ...deleteSql, parameters: { run: "reject" } };
    const req = await request(action);
    await expect(service.reject({ id: req.id, approver: "ana", channel: "api", reason: " " })).rejects.toMatchObject({
      code: "APPROVAL_ACTION_INVALID",
    });
    const rejected = await service.reject({ id: req.id, approver: "ana", channel: "api", reason: "too broad" });
    expect(rejected).toMatchObject({ state: "rejected", decisions: [{ decision: "reject", reason: "too broad" }] });
    const { run, performed } = execute(action, req.id);
    await expect(run).rejects.toMatchObject({ code: "APPROVAL_NOT_APPROVED" });
    expect(performed).toEqual([]);
  });

  it("stops counting an approver the current configuration no longer allows", async () => {
    const action = { ...deleteSql, parameters: { run: "revoked" } };
    const req = await request(action);
    await service.approve({ id: req.id, approver: "bo", channel: "api" });
    const revoked = parseApprovalConfig({ approvers: { users: ["ana"] } });
    await expect(
      executeWithApproval(
        { db, action, approvalId: req.id, actor: "w", channel: "worker", clock, config: revoked },
        async () => {},
      ),
    ).rejects.toMatchObject({ code: "APPROVAL_NOT_ALLOWED" });
    expect((await service.get(req.id)).usedAt).toBeNull();
  });

  it("leaves the approval unused when perform fails, and audits the failure", async () => {
    const action = { ...deleteSql, parameters: { run: "fails" } };
    const req = await request(action);
    await service.approve({ id: req.id, approver: "ana", channel: "api" });
    await expect(
      executeWithApproval({ db, action, approvalId: req.id, actor: "w", channel: "worker", clock }, async () => {
        throw new Error("warehouse down");
      }),
    ).rejects.toThrow("warehouse down");
    expect((await service.get(req.id)).state).toBe("approved");
    expect((await auditFor(req.id)).at(-1)).toMatchObject({ action: "approval.execution_failed", outcome: "failed" });
  });

  it("refuses forged destructive worker jobs and runs a valid one once", async () => {
    const action = { ...deleteSql, parameters: { run: "job" } };
    const req = await request(action);
    await service.approve({ id: req.id, approver: "ana", channel: "api" });
    const other = await request({ ...deleteSql, parameters: { run: "other-job" } });
    await service.approve({ id: other.id, approver: "ana", channel: "api" });
    const performed: unknown[] = [];
    const job = (payload: unknown) =>
      executeApprovedJob(
        { db, actor: "worker:w9", channel: "worker", clock, config },
        payload,
        async ({ payload: p }) => {
          performed.push(p.approvalId);
        },
      );

    await expect(job({ action })).rejects.toMatchObject({ code: "APPROVAL_MISSING" });
    await expect(job({ action, approvalId: "apr_forged" })).rejects.toMatchObject({ code: "APPROVAL_MISSING" });
    await expect(job({ action, approvalId: other.id })).rejects.toMatchObject({ code: "APPROVAL_DIGEST_MISMATCH" });
    await job({ action, approvalId: req.id });
    await expect(job({ action, approvalId: req.id })).rejects.toMatchObject({ code: "APPROVAL_USED" });
    expect(performed).toEqual([req.id]);
    const refusals = await db.select().from(auditEvents).where(eq(auditEvents.actor, "worker:w9"));
    expect(refusals.filter((e) => e.outcome === "refused").map((e) => e.detail.code)).toEqual([
      "APPROVAL_MISSING",
      "APPROVAL_MISSING",
      "APPROVAL_DIGEST_MISMATCH",
      "APPROVAL_USED",
    ]);
  });

  it("gives other packages a guard that consumes by digest", async () => {
    const action: ActionSpec = {
      kind: "registry.promote",
      target: "main.ml.news",
      change: { model: "main.ml.news", version: "7", alias: "champion", fromVersion: "5" },
    };
    const guard = createApprovalGuard({ db, actor: "agent", channel: "agent", clock, config });
    await expect(guard(action)).rejects.toMatchObject({ code: "APPROVAL_MISSING" });
    const req = await request(action);
    await expect(service.approve({ id: req.id, approver: "ana", channel: "api" })).rejects.toMatchObject({
      code: "APPROVAL_NOT_ALLOWED",
    });
    await service.approve({ id: req.id, approver: "chen", channel: "api" });
    await expect(guard(action)).resolves.toBeUndefined();
    await expect(guard(action)).rejects.toMatchObject({ code: "APPROVAL_MISSING" });
    expect((await service.list({ state: "used" })).map((r) => r.id)).toContain(req.id);
  });
});
