import { type ActionSpec, actionDigest, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { auditEvents } from "@mlops/db";
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@mlops/testing";
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The CLI's HTTP client, exercised against these routes (a cross-app test; test/e2e is its long-term home).
import { createApprovalsClient } from "../../../cli/src/commands/approvals";
import { parseAuthConfig } from "../auth/auth-config";
import { approvalRoutes } from "./approvals";

const TOKENS = { dan: "tok-dan-0123456789abcdef", ana: "tok-ana-0123456789abcdef", eve: "tok-eve-0123456789abcdef" };
const auth = parseAuthConfig({
  tokens: Object.entries(TOKENS).map(([user, token]) => ({ user, token })),
});
const config = parseApprovalConfig({ approvers: { users: ["ana", "dan"] } });
const action: ActionSpec = {
  kind: "pipeline.overwrite",
  target: "main.gold.churn_scores",
  sql: "INSERT OVERWRITE main.gold.churn_scores SELECT * FROM main.silver.churn_scores_v2",
};
const requestBody = (a: ActionSpec = action) => ({
  action: a,
  reason: "ship v2 scores",
  risk: { summary: "Replaces all churn scores", rowsAffected: 52000, reversible: true, undo: "RESTORE TABLE" },
});

describe.each(TEST_DRIVERS)("approval routes on %s", (driver) => {
  let t: TestDatabase;
  let app: Hono<{ Variables: { user: string } }>;

  beforeAll(async () => {
    t = await createTestDatabase(driver, "approvalroutes");
    const approvals = createApprovalService({ db: t.database.db, config });
    app = new Hono<{ Variables: { user: string } }>().route("/", approvalRoutes({ approvals, auth }));
  }, 90_000);
  afterAll(async () => t?.cleanup());

  const call = (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const create = async (a: ActionSpec = action) => {
    const response = await call("POST", "/v1/approvals", TOKENS.dan, requestBody(a));
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; digest: string };
  };
  const audit = (subject: string) =>
    t.database.db.select().from(auditEvents).where(eq(auditEvents.subject, subject)).orderBy(asc(auditEvents.seq));

  it("answers 401 without a valid bearer token, whatever user header is sent", async () => {
    for (const [method, path] of [
      ["GET", "/v1/approvals"],
      ["GET", "/v1/approvals/apr_x"],
      ["POST", "/v1/approvals/apr_x/approve"],
      ["POST", "/v1/approvals/apr_x/reject"],
    ] as const) {
      const none = await call(method, path, undefined, undefined, { "x-mlops-user": "ana" });
      expect(none.status).toBe(401);
      expect(await none.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      expect((await call(method, path, "tok-ana-0123456789abcdeX")).status).toBe(401);
    }
  });

  it("lists pending requests and shows the full action and its digest", async () => {
    const created = await create();
    const list = await call("GET", "/v1/approvals", TOKENS.ana);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { approvals: { id: string }[] }).approvals.map((a) => a.id)).toContain(created.id);
    const shown = await call("GET", `/v1/approvals/${created.id}`, TOKENS.ana);
    expect(await shown.json()).toMatchObject({
      id: created.id,
      state: "pending",
      action,
      digest: actionDigest(action),
      requestedBy: "dan",
      requestedVia: "api",
    });
    expect((await call("GET", "/v1/approvals/apr_nope", TOKENS.ana)).status).toBe(404);
  });

  it("approves and rejects over HTTP as the token's user, and audits each decision", async () => {
    const a = await create({ ...action, parameters: { n: 1 } });
    const approved = await call("POST", `/v1/approvals/${a.id}/approve`, TOKENS.ana);
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({
      state: "approved",
      decisions: [{ approver: "ana", channel: "api" }],
    });
    expect((await call("POST", `/v1/approvals/${a.id}/approve`, TOKENS.ana)).status).toBe(409);

    const b = await create({ ...action, parameters: { n: 2 } });
    const noReason = await call("POST", `/v1/approvals/${b.id}/reject`, TOKENS.ana, {});
    expect(noReason.status).toBe(400);
    const rejected = await call("POST", `/v1/approvals/${b.id}/reject`, TOKENS.ana, { reason: "wrong source table" });
    expect(await rejected.json()).toMatchObject({ state: "rejected", decisions: [{ reason: "wrong source table" }] });
    expect((await audit(b.id)).map((e) => [e.action, e.actor, e.channel])).toEqual([
      ["approval.requested", "dan", "api"],
      ["approval.rejected", "ana", "api"],
    ]);
  });

  it("refuses self-approval and users the policy does not allow, with an audit event each", async () => {
    const a = await create({ ...action, parameters: { n: 3 } });
    const self = await call("POST", `/v1/approvals/${a.id}/approve`, TOKENS.dan);
    expect(self.status).toBe(403);
    expect(await self.json()).toMatchObject({ error: { code: "APPROVAL_SELF" } });
    const eve = await call("POST", `/v1/approvals/${a.id}/approve`, TOKENS.eve);
    expect(eve.status).toBe(403);
    expect(await eve.json()).toMatchObject({ error: { code: "APPROVAL_NOT_ALLOWED" } });
    expect((await audit(a.id)).filter((e) => e.outcome === "refused").map((e) => e.actor)).toEqual(["dan", "eve"]);
  });

  it("approves and rejects through the CLI's client, recorded with channel cli", async () => {
    const fetchViaApp = ((url: string, init?: RequestInit) => app.request(url, init)) as typeof fetch;
    const cli = (token?: string) => createApprovalsClient({ baseUrl: "http://api.test", token, fetch: fetchViaApp });
    const a = await create({ ...action, parameters: { n: 4 } });
    const b = await create({ ...action, parameters: { n: 5 } });
    expect((await cli(TOKENS.ana).list()).map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await cli(TOKENS.ana).show(a.id)).digest).toBe(a.digest);
    expect(await cli(TOKENS.ana).approve(a.id)).toMatchObject({ state: "approved", decisions: [{ channel: "cli" }] });
    expect(await cli(TOKENS.ana).reject(b.id, "not now")).toMatchObject({ state: "rejected" });
    await expect(cli(TOKENS.dan).approve(b.id)).rejects.toMatchObject({ code: "APPROVAL_ALREADY_DECIDED" });
    await expect(cli(undefined).list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(cli("wrong-token-0123456789").list()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect((await audit(a.id)).at(-1)).toMatchObject({ action: "approval.approved", actor: "ana", channel: "cli" });
  });
});
