import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createArchitectAgent, createCheckpointer, createCommandPlanner, createToolbox } from "@mlops/agent";
import { createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { createTestDatabase, type TestDatabase } from "@mlops/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threadRoutes } from "./threads";

let testDb: TestDatabase;
let lakehouse: Lakehouse;
let home: string;
let app: Hono<{ Variables: { user: string } }>;

beforeAll(async () => {
  testDb = await createTestDatabase("postgres", "threads");
  home = mkdtempSync(join(tmpdir(), "mlops-threads-"));
  lakehouse = await createLakehouse({ engine: "duckdb", path: join(home, "lakehouse.duckdb") });
  await lakehouse.writeRows("main.default.old_events", [{ id: 1 }]);
  const { database } = testDb;
  const approvals = createApprovalService({
    db: database.db,
    config: parseApprovalConfig({ approvers: { users: ["ana"] }, irreversibleApprovals: 1 }),
  });
  const agent = createArchitectAgent({
    database,
    checkpointer: await createCheckpointer({ sql: database.sql }),
    planner: createCommandPlanner(),
    toolbox: createToolbox({ lakehouse: async () => lakehouse }),
    approvals,
  });
  app = new Hono<{ Variables: { user: string } }>();
  app.use("*", async (c, next) => {
    c.set("user", c.req.header("x-mlops-user") ?? "api");
    await next();
  });
  app.route("/", threadRoutes({ agent }));
}, 60_000);
afterAll(async () => {
  await lakehouse?.close();
  await testDb?.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const post = (path: string, body: unknown, user = "carol") =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-mlops-user": user, "x-mlops-channel": "web" },
    body: JSON.stringify(body),
  });

/** The events of a server-sent event stream, in order. */
async function events(response: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  return (await response.text())
    .split("\n\n")
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "";
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? "{}");
      return { event, data };
    });
}

describe("chat threads over HTTP", () => {
  it("streams a run as server-sent events", async () => {
    const created = await post("/v1/threads", { title: "safety" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const stream = await events(await post(`/v1/threads/${id}/messages`, { text: "check sql delete from t" }));
    expect(stream.map((e) => e.event)).toEqual(["plan", "tool_start", "tool_end", "message", "done"]);
    expect(String(stream[3]!.data.text)).toContain("Verdict: destructive");
  });

  it("stops for approval and resumes with the caller's decision", async () => {
    const { id } = (await (await post("/v1/threads", {})).json()) as { id: string };
    const stopped = await events(
      await post(`/v1/threads/${id}/messages`, { text: "drop table main.default.old_events" }),
    );
    expect(stopped.map((e) => e.event)).toEqual(["plan", "interrupt", "done"]);
    expect(stopped[2]!.data.status).toBe("interrupted");
    expect((await post(`/v1/threads/${id}/messages`, { text: "list tables" })).status).toBe(409);
    const thread = (await (await app.request(`/v1/threads/${id}`)).json()) as { pending: { approvals: unknown[] } };
    expect(thread.pending.approvals).toHaveLength(1);

    const done = await events(await post(`/v1/threads/${id}/resume`, { decision: "approve" }, "ana"));
    expect(done.map((e) => e.event)).toEqual(["tool_start", "tool_end", "message", "done"]);
    expect(String(done[2]!.data.text)).toContain("Dropped main.default.old_events");
    expect(await lakehouse.tableExists("main.default.old_events")).toBe(false);
  });

  it("answers refusals with codes and plans without running", async () => {
    expect((await post("/v1/threads/thr_missing/messages", { text: "list tables" })).status).toBe(404);
    expect((await post("/v1/threads/thr_missing/resume", { decision: "approve" })).status).toBe(404);
    const plan = (await (await post("/v1/plan", { text: "drop table main.default.x" })).json()) as {
      calls: { name: string; effect: string }[];
      digest: string;
    };
    expect(plan.calls).toEqual([expect.objectContaining({ name: "drop_table", effect: "gated" })]);
    expect(plan.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});
