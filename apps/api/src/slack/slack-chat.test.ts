import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, silentLogger } from "@mlops/core";
import { openStack, type Stack } from "@mlops/stack";
import {
  cleanRedisPrefix,
  type FakeSlack,
  signSlackRequest,
  startFakeSlack,
  TEST_REDIS_URL,
  uniquePrefix,
} from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiArchitect, createApiApp, openApiArchitect } from "../create-api-app";

const SECRET = "chat-signing-secret";
const ANA = "Bearer ana-token-0123456789";
const CARL = "Bearer carl-token-0123456789";
let fake: FakeSlack;
let home: string;
const prefix = uniquePrefix("slackchat");

interface Running {
  stack: Stack;
  architect: ApiArchitect;
  app: ReturnType<typeof createApiApp>;
}

/** The api as main.ts wires it, on a PGlite database and DuckDB under `home` (reopened to simulate a restart). */
async function startApi(): Promise<Running> {
  const config = loadConfig({
    env: { MLOPS_HOME: home, REDIS_URL: TEST_REDIS_URL, MLOPS_QUEUE_PREFIX: prefix, DATABASE_URL: "" },
  });
  const sections = {
    approvals: { approvers: { users: ["ana"] }, slackUsers: { UANA: "ana" }, irreversibleApprovals: 1 },
    auth: {
      tokens: [
        { token: "ana-token-0123456789", user: "ana" },
        { token: "carl-token-0123456789", user: "carl" },
      ],
    },
    slack: { signingSecret: SECRET, botToken: "xoxb-chat-token", approvalsChannel: "CAPP", apiUrl: fake.apiUrl },
  };
  const stack = await openStack(config, silentLogger());
  const architect = await openApiArchitect({ stack, sections });
  const app = createApiApp({ stack, version: "test", embeddedWorker: false, sections, architect });
  return { stack, architect, app };
}

async function stopApi(running: Running) {
  await running.architect.close();
  await running.stack.close();
}

const slackPost = (app: Running["app"], body: string, contentType: string) =>
  app.request("/slack/events", {
    method: "POST",
    headers: { "content-type": contentType, ...signSlackRequest(SECRET, body) },
    body,
  });

beforeAll(async () => {
  fake = await startFakeSlack({ token: "xoxb-chat-token" });
  home = mkdtempSync(join(tmpdir(), "mlops-slack-chat-"));
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await cleanRedisPrefix(prefix);
  rmSync(home, { recursive: true, force: true });
});

describe("the architect in the api", () => {
  it("answers a Slack mention in its thread, and an Approve click in Slack resumes the thread", async () => {
    const api = await startApi();
    try {
      await (await api.stack.lakehouse()).writeRows("main.default.slack_tmp", [{ id: 1 }]);
      const mention = JSON.stringify({
        type: "event_callback",
        event: {
          type: "app_mention",
          channel: "CCHAT",
          user: "UANA",
          text: "<@UBOT> drop table main.default.slack_tmp",
          ts: "100.1",
        },
      });
      expect((await slackPost(api.app, mention, "application/json")).status).toBe(200);
      await api.architect.idle();
      const inThread = () => fake.calls.filter((c) => c.method === "chat.postMessage" && c.body.thread_ts === "100.1");
      expect(
        inThread()
          .map((c) => String(c.body.text))
          .join("\n"),
      ).toMatch(/needs|approv/i);
      const buttons = inThread().find((c) => JSON.stringify(c.body.blocks ?? []).includes("approval.approve"));
      expect(buttons).toBeDefined();
      const approvalId = /"value":"(apr_[^"]+)"/.exec(JSON.stringify(buttons!.body.blocks))?.[1];
      expect(approvalId).toBeDefined();

      const click = `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", user: { id: "UANA" }, channel: { id: "CCHAT" }, actions: [{ action_id: "approval.approve", value: approvalId }] }))}`;
      expect(await (await slackPost(api.app, click, "application/x-www-form-urlencoded")).json()).toMatchObject({
        results: [{ ok: true, state: "approved" }],
      });
      await api.architect.idle();
      expect(inThread().at(-1)?.body.text).toContain("Dropped main.default.slack_tmp");
      expect(await (await api.stack.lakehouse()).tableExists("main.default.slack_tmp")).toBe(false);

      const command = new URLSearchParams({
        command: "/mlops",
        text: "check sql select 1",
        user_id: "UANA",
        channel_id: "CCHAT",
      }).toString();
      expect(await (await slackPost(api.app, command, "application/x-www-form-urlencoded")).json()).toMatchObject({
        text: expect.stringContaining("On it"),
      });
      await api.architect.idle();
      expect(fake.calls.at(-1)?.body.text).toContain("Verdict: read");
    } finally {
      await stopApi(api);
    }
  }, 90_000);

  it("resumes a thread after an api restart when its approval is decided", async () => {
    let api = await startApi();
    let threadId: string;
    let approvalId: string;
    try {
      await (await api.stack.lakehouse()).writeRows("main.default.restart_tmp", [{ id: 1 }]);
      const created = await api.app.request("/v1/threads", {
        method: "POST",
        headers: { authorization: CARL, "content-type": "application/json" },
        body: "{}",
      });
      expect(created.status).toBe(201);
      threadId = ((await created.json()) as { id: string }).id;
      const stream = await api.app.request(`/v1/threads/${threadId}/messages`, {
        method: "POST",
        headers: { authorization: CARL, "content-type": "application/json" },
        body: JSON.stringify({ text: "drop table main.default.restart_tmp" }),
      });
      expect(await stream.text()).toContain('"status":"interrupted"');
      const thread = (await (
        await api.app.request(`/v1/threads/${threadId}`, { headers: { authorization: CARL } })
      ).json()) as { pending: { approvals: { approvalId: string }[] } };
      approvalId = thread.pending.approvals[0]!.approvalId;
    } finally {
      await stopApi(api);
    }

    api = await startApi();
    try {
      const approved = await api.app.request(`/v1/approvals/${approvalId}/approve`, {
        method: "POST",
        headers: { authorization: ANA },
      });
      expect(approved.status).toBe(200);
      await api.architect.idle();
      const after = (await (
        await api.app.request(`/v1/threads/${threadId}`, { headers: { authorization: CARL } })
      ).json()) as { pending: unknown; report: string };
      expect(after.pending).toBeNull();
      expect(after.report).toContain("Dropped main.default.restart_tmp");
      const again = await api.app.request(`/v1/threads/${threadId}/resume`, {
        method: "POST",
        headers: { authorization: ANA, "content-type": "application/json" },
        body: JSON.stringify({ decision: "approve" }),
      });
      expect(again.status).toBe(409);
    } finally {
      await stopApi(api);
    }
  }, 90_000);
});
