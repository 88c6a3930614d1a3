import {
  createTestDatabase,
  type FakeSlack,
  signSlackRequest,
  startFakeSlack,
  type TestDatabase,
} from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApprovalsApi } from "./approvals";

describe("createApprovalsApi wiring from configuration sections", () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  beforeAll(async () => {
    t = await createTestDatabase("postgres", "approvalwiring");
    fake = await startFakeSlack({ token: "xoxb-wiring-token" });
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await t?.cleanup();
  });

  it("serves /v1/approvals with bearer tokens, posts requests to Slack and takes button clicks", async () => {
    const { routes } = createApprovalsApi({
      db: t.database.db,
      sections: {
        approvals: { approvers: { users: ["ana"] }, slackUsers: { UANA: "ana" } },
        auth: { tokens: [{ token: "dan-token-0123456789", user: "dan" }] },
        slack: {
          signingSecret: "wiring-secret",
          botToken: "xoxb-wiring-token",
          approvalsChannel: "CAPP",
          apiUrl: fake.apiUrl,
        },
      },
    });
    expect((await routes.request("/v1/approvals")).status).toBe(401);
    const created = await routes.request("/v1/approvals", {
      method: "POST",
      headers: { authorization: "Bearer dan-token-0123456789", "content-type": "application/json" },
      body: JSON.stringify({
        action: {
          kind: "registry.promote",
          target: "main.ml.news",
          change: { model: "main.ml.news", version: "9", alias: "champion", fromVersion: "8" },
        },
        reason: "v9 beats v8 by 3 points",
        risk: {
          summary: "Moves champion to v9",
          versionsAffected: ["8", "9"],
          reversible: true,
          undo: "move the alias back",
        },
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(fake.calls.filter((c) => c.method === "chat.postMessage")).toHaveLength(1);
    expect(JSON.stringify(fake.calls[0]?.body.blocks)).toContain("version 8 → *version 9*");
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", user: { id: "UANA" }, actions: [{ action_id: "approval.approve", value: id }] }))}`;
    const click = await routes.request("/slack/events", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...signSlackRequest("wiring-secret", body) },
      body,
    });
    expect(await click.json()).toMatchObject({ results: [{ ok: true, state: "approved" }] });
    expect(fake.calls.map((c) => c.method)).toEqual(["chat.postMessage", "chat.update"]);
  });
});
