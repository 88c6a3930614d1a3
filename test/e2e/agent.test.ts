import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLakehouse } from "@mlops/lakehouse";
import { cleanRedisPrefix, TEST_REDIS_URL, uniquePrefix } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, runCli, tempHome } from "./cli-helpers";

// The architect end to end: the real `mlops` binary against `mlops up` on the embedded defaults.
const prefix = uniquePrefix("e2e-agent");
let env: Record<string, string>;
let home: string;
let base: string;

interface ChatOutput {
  threadId: string;
  events: { type: string; tool?: string; ok?: boolean; summary?: string; text?: string; status?: string }[];
}

const chat = async (...args: string[]) => {
  const result = await runCli(["chat", ...args, "--json"], env, 120_000);
  expect(result.code, result.stderr).toBe(0);
  return { ...(JSON.parse(result.stdout) as ChatOutput), stderr: result.stderr };
};
const ended = (output: ChatOutput, tool: string) => output.events.find((e) => e.type === "tool_end" && e.tool === tool);
const pendingIds = (stderr: string) => [...stderr.matchAll(/mlops approvals approve (\S+)/g)].map((m) => m[1]!);

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = readFileSync(join(home, "api-token"), "utf8").trim();
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  home = tempHome();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    MLOPS_HOME: home,
    PORT: String(port),
    REDIS_URL: TEST_REDIS_URL,
    MLOPS_QUEUE_PREFIX: prefix,
    DATABASE_URL: "",
    LOG_LEVEL: "warn",
  };
  // A table to drop, in the product's DuckDB file, before the api holds it.
  const lakehouse = await createLakehouse({ engine: "duckdb", path: join(home, "lakehouse", "main.duckdb") });
  await lakehouse.writeRows("main.default.t", [{ id: 1 }, { id: 2 }]);
  await lakehouse.close();
  const up = await runCli(["up", "--detach"], env, 120_000);
  expect(up.code, up.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await runCli(["down"], env);
  await cleanRedisPrefix(prefix);
});

describe("mlops chat with the architect", () => {
  it("compares two local models on the sample on a worker and reports the table", async () => {
    const out = await chat("compare local/tfidf-logreg and local/naive-bayes on the sample");
    expect(out.stderr).toContain("using the running stack");
    const result = ended(out, "compare_models");
    expect(result?.ok, result?.summary).toBe(true);
    expect(result?.summary).toMatch(
      /local\/tfidf-logreg[\s\S]*local\/naive-bayes|local\/naive-bayes[\s\S]*local\/tfidf-logreg/,
    );
    expect(result?.summary).toContain("accuracy");
    expect(result?.summary).toContain("Recommendation:");
    expect(out.events.some((e) => e.type === "progress")).toBe(true);
  }, 150_000);

  it("says exactly what is missing to compare llama and gpt-oss", async () => {
    const out = await chat("compare llama and gpt-oss");
    const result = ended(out, "compare_models");
    expect(result?.ok).toBe(false);
    expect(result?.summary).toContain("what is missing");
    expect(result?.summary).toMatch(/llama: .*(DATABRICKS|token|host)/i);
    expect(result?.summary).toMatch(/gpt-oss: .*(DATABRICKS|token|host)/i);
  }, 60_000);

  it("stops before dropping a table and finishes after `mlops approvals approve`", async () => {
    const stopped = await chat("drop table main.default.t");
    expect(stopped.events.at(-1)).toMatchObject({ type: "done", status: "interrupted" });
    const [approvalId] = pendingIds(stopped.stderr);
    expect(approvalId).toBeDefined();
    const approve = await runCli(["approvals", "approve", approvalId!], env);
    expect(approve.code, approve.stderr).toBe(0);
    const resumed = await chat("--thread", stopped.threadId, "resume");
    const report = resumed.events.find((e) => e.type === "message")?.text ?? "";
    expect(report).toContain("Dropped main.default.t");
    const tables = await chat("list tables in main.default");
    expect(ended(tables, "list_tables")?.summary ?? "").not.toContain("main.default.t ");
  }, 120_000);

  it("stops before promoting the challenger and promotes it after approval", async () => {
    const model = "news-classifier";
    const { experiment_id: experimentId } = await api<{ experiment_id: string }>(
      "POST",
      "/api/2.0/mlflow/experiments/create",
      { name: "agent-e2e" },
    );
    for (const [name, accuracy] of [
      ["v1", 0.91],
      ["v2", 0.95],
    ] as const) {
      const { run } = await api<{ run: { info: { run_id: string } } }>("POST", "/api/2.0/mlflow/runs/create", {
        experiment_id: experimentId,
        run_name: name,
      });
      await api("POST", "/v1/registry/versions", {
        model,
        runId: run.info.run_id,
        metrics: { accuracy, f1: accuracy - 0.02, precision: accuracy - 0.01, recall: accuracy - 0.01 },
      });
    }
    const before = await api<{ aliases: Record<string, string> }>("GET", `/v1/registry/models/${model}`);
    expect(before.aliases).toMatchObject({ champion: "1", challenger: "2" });

    const stopped = await chat(`promote the challenger of ${model}`);
    expect(stopped.events.at(-1)).toMatchObject({ type: "done", status: "interrupted" });
    const [approvalId] = pendingIds(stopped.stderr);
    const approval = await api<{ action: unknown }>("GET", `/v1/approvals/${approvalId}`);
    expect(approval.action).toEqual({
      kind: "registry.promote",
      target: model,
      change: { model, version: "2", alias: "champion", fromVersion: "1" },
    });
    expect((await runCli(["approvals", "approve", approvalId!], env)).code).toBe(0);
    const resumed = await chat("--thread", stopped.threadId, "resume");
    expect(resumed.events.find((e) => e.type === "message")?.text).toContain("version 2 is champion now");
    const after = await api<{ aliases: Record<string, string> }>("GET", `/v1/registry/models/${model}`);
    expect(after.aliases).toMatchObject({ champion: "2", defeated: "1" });
  }, 150_000);

  it("plans without running anything", async () => {
    const result = await runCli(["plan", "drop table main.default.other", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      calls: [expect.objectContaining({ name: "drop_table", effect: "gated" })],
    });
  });
});
