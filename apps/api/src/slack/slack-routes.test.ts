import { type ActionSpec, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { fixedClock } from "@mlops/core";
import { approvalDecisions, auditEvents } from "@mlops/db";
// Until @mlops/testing's index exports the fake (see the report), import it by path.
import {
  createTestDatabase,
  type FakeSlack,
  signSlackRequest,
  startFakeSlack,
  TEST_DRIVERS,
  type TestDatabase,
} from "@mlops/testing";
import { asc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from "./approval-blocks";
import { parseSlackConfig } from "./slack-config";
import { createSlackApprovalNotifier } from "./slack-notifier";
import { slackRoutes } from "./slack-routes";
import { createSlackWebApi } from "./slack-web-api";
import { createMemoryReplayGuard, verifySlackRequest } from "./verify-slack-request";

const SECRET = "slack-signing-secret-for-tests";
const BOT_TOKEN = "xoxb-fake-bot-token";
const config = parseApprovalConfig({
  approvers: { users: ["ana", "bo", "dan"] },
  slackUsers: { UANA: "ana", UBO: "bo", UDAN: "dan", UEVE: "eve" },
});
const action: ActionSpec = {
  kind: "lakehouse.sql",
  target: "main.bronze.events",
  sql: "DELETE FROM main.bronze.events WHERE ingest_date < '2024-01-01'",
};

describe.each(TEST_DRIVERS)("slack approvals on %s", (driver) => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let app: Hono;
  let service: ReturnType<typeof createApprovalService>;
  const clock = fixedClock(new Date());
  let n = 0;

  beforeAll(async () => {
    t = await createTestDatabase(driver, "slackapprovals");
    fake = await startFakeSlack({ token: BOT_TOKEN });
    const slack = parseSlackConfig({
      signingSecret: SECRET,
      botToken: BOT_TOKEN,
      approvalsChannel: "CAPPROVALS",
      apiUrl: fake.apiUrl,
    })!;
    const web = createSlackWebApi({ baseUrl: slack.apiUrl, token: slack.botToken });
    const notifier = createSlackApprovalNotifier({
      web,
      channel: slack.approvalsChannel,
      onPosted: (id, message) => service.attachSlackMessage(id, message),
    });
    service = createApprovalService({ db: t.database.db, config, clock, notifier });
    app = new Hono().route("/", slackRoutes({ approvals: service, slack, web, clock }));
  }, 90_000);
  afterAll(async () => {
    await fake?.close();
    await t?.cleanup();
  });

  const request = (requestedBy = "dan") =>
    service.request({
      action: { ...action, parameters: { n: ++n } },
      requestedBy,
      channel: "agent",
      reason: "drop pre-2024 events",
      risk: {
        summary: "Deletes old bronze events",
        rowsAffected: 3_400_000,
        reversible: true,
        undo: "RESTORE TABLE … VERSION AS OF",
      },
    });
  const click = (slackUser: string, id: string, actionId = APPROVE_ACTION_ID) =>
    `payload=${encodeURIComponent(
      JSON.stringify({
        type: "block_actions",
        user: { id: slackUser },
        channel: { id: "CAPPROVALS" },
        actions: [{ action_id: actionId, value: id, action_ts: `${Date.now()}.${++n}` }],
      }),
    )}`;
  const post = (
    body: string,
    headers: Record<string, string> = signSlackRequest(SECRET, body, Math.floor(clock.now().getTime() / 1000)),
    type = "application/x-www-form-urlencoded",
  ) => app.request("/slack/events", { method: "POST", headers: { "content-type": type, ...headers }, body });
  const audit = (subject: string) =>
    t.database.db.select().from(auditEvents).where(eq(auditEvents.subject, subject)).orderBy(asc(auditEvents.seq));
  const messageOf = async (id: string) => {
    const { slack } = await service.get(id);
    return fake.messages.get(`${slack?.channel}:${slack?.ts}`);
  };

  it("posts a Block Kit request and updates it in place when approved with the button", async () => {
    const req = await request();
    const posted = await messageOf(req.id);
    expect(posted).toBeDefined();
    const text = JSON.stringify(posted?.blocks);
    expect(text).toContain("DELETE FROM main.bronze.events");
    expect(text).toContain("3,400,000 rows");
    expect(text).toContain(APPROVE_ACTION_ID);
    expect(text).toContain(REJECT_ACTION_ID);

    const response = await post(click("UANA", req.id));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ results: [{ ok: true, state: "approved" }] });
    const updated = await messageOf(req.id);
    expect(updated?.updates).toBe(1);
    expect(JSON.stringify(updated?.blocks)).toContain("approved by *ana* via slack");
    expect(JSON.stringify(updated?.blocks)).not.toContain(APPROVE_ACTION_ID);
    expect((await audit(req.id)).at(-1)).toMatchObject({ action: "approval.approved", actor: "ana", channel: "slack" });
  });

  it("rejects with the button and updates the message", async () => {
    const req = await request();
    await post(click("UBO", req.id, REJECT_ACTION_ID));
    expect(await service.get(req.id)).toMatchObject({
      state: "rejected",
      decisions: [{ approver: "bo", decision: "reject" }],
    });
    expect(JSON.stringify((await messageOf(req.id))?.blocks)).toContain("rejected by *bo*");
  });

  it("refuses a forged signature, a stale timestamp and a replayed request, auditing each", async () => {
    const req = await request();
    const forged = click("UANA", req.id);
    const forgedResponse = await post(
      forged,
      signSlackRequest("not-the-secret", forged, Math.floor(clock.now().getTime() / 1000)),
    );
    expect(forgedResponse.status).toBe(401);
    const stale = click("UANA", req.id);
    const staleResponse = await post(
      stale,
      signSlackRequest(SECRET, stale, Math.floor(clock.now().getTime() / 1000) - 301),
    );
    expect(staleResponse.status).toBe(401);
    expect((await post(click("UANA", req.id), {})).status).toBe(401);
    expect((await service.get(req.id)).state).toBe("pending");

    const good = click("UANA", req.id);
    const headers = signSlackRequest(SECRET, good, Math.floor(clock.now().getTime() / 1000));
    expect((await post(good, headers)).status).toBe(200);
    const replayed = await post(good, headers);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ error: { code: "SLACK_REQUEST_UNVERIFIED" } });
    const decisions = await t.database.db
      .select()
      .from(approvalDecisions)
      .where(eq(approvalDecisions.requestId, req.id));
    expect(decisions).toHaveLength(1);
    const refused = (await audit(req.id)).filter((e) => e.action === "slack.request_refused");
    expect(refused.map((e) => e.detail.reason)).toEqual([
      "bad_signature",
      "stale_timestamp",
      "missing_headers",
      "replayed",
    ]);
    expect(refused.every((e) => e.outcome === "refused" && e.channel === "slack")).toBe(true);
  });

  it("refuses an unknown Slack user, self-approval and a user the policy does not allow", async () => {
    const req = await request("dan");
    expect(await (await post(click("UNOBODY", req.id))).json()).toMatchObject({
      results: [{ ok: false, error: { code: "APPROVAL_NOT_ALLOWED" } }],
    });
    expect(await (await post(click("UDAN", req.id))).json()).toMatchObject({
      results: [{ ok: false, error: { code: "APPROVAL_SELF" } }],
    });
    expect(await (await post(click("UEVE", req.id))).json()).toMatchObject({
      results: [{ ok: false, error: { code: "APPROVAL_NOT_ALLOWED" } }],
    });
    expect((await service.get(req.id)).state).toBe("pending");
    expect((await audit(req.id)).filter((e) => e.outcome === "refused").map((e) => e.actor)).toEqual([
      "slack:UNOBODY",
      "dan",
      "eve",
    ]);
    expect(fake.ephemerals.filter((e) => e.user === "UNOBODY").at(-1)?.text).toContain("not mapped");
  });

  it("records one decision when two people click Approve at once", async () => {
    const req = await request();
    const responses = await Promise.all([
      post(click("UANA", req.id)),
      post(click("UBO", req.id)),
      post(click("UANA", req.id)),
    ]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { results: { ok: boolean }[] }[];
    expect(bodies.filter((b) => b.results[0]?.ok)).toHaveLength(1);
    const decisions = await t.database.db
      .select()
      .from(approvalDecisions)
      .where(eq(approvalDecisions.requestId, req.id));
    expect(decisions).toHaveLength(1);
    expect((await messageOf(req.id))?.updates).toBe(1);
  });

  it("answers the events URL check and the /approvals slash command", async () => {
    const check = JSON.stringify({ type: "url_verification", challenge: "abc123" });
    expect(await (await post(check, undefined, "application/json")).json()).toEqual({ challenge: "abc123" });
    const req = await request();
    const list = new URLSearchParams({
      command: "/approvals",
      text: "list",
      user_id: "UANA",
      channel_id: "C1",
    }).toString();
    expect(((await (await post(list)).json()) as { text: string }).text).toContain(req.id);
    const approve = new URLSearchParams({
      command: "/approvals",
      text: `approve ${req.id}`,
      user_id: "UBO",
    }).toString();
    expect(((await (await post(approve)).json()) as { text: string }).text).toContain("approved");
    expect((await audit(req.id)).at(-1)).toMatchObject({ action: "approval.approved", actor: "bo", channel: "slack" });
  });
});

describe("slack request verification", () => {
  it("accepts a fresh signed request once, in constant-time comparison of equal-length signatures", () => {
    const replay = createMemoryReplayGuard(600_000);
    const now = 1_800_000_000_000;
    const body = "payload=%7B%7D";
    const headers = signSlackRequest(SECRET, body, now / 1000);
    const input = {
      signingSecret: SECRET,
      timestamp: headers["x-slack-request-timestamp"],
      signature: headers["x-slack-signature"],
      rawBody: body,
      nowMs: now,
      replay,
    };
    expect(verifySlackRequest(input)).toEqual({ ok: true });
    expect(verifySlackRequest(input)).toEqual({ ok: false, reason: "replayed" });
    expect(verifySlackRequest({ ...input, rawBody: `${body}x` })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifySlackRequest({ ...input, nowMs: now + 301_000 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(verifySlackRequest({ ...input, signature: "v0=short" })).toEqual({ ok: false, reason: "bad_signature" });
  });
});
