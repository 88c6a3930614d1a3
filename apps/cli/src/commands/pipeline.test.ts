import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  cleanRedisPrefix,
  createTestPostgresDatabase,
  TEST_REDIS_URL,
  type TestPostgresDatabase,
  uniquePrefix,
} from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/mlops.js", import.meta.url));
const prefix = uniquePrefix("pipecli");
let pg: TestPostgresDatabase;
let home: string;
let env: Record<string, string>;

function mlops(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mlops ${args.join(" ")} timed out\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  pg = await createTestPostgresDatabase("pipecli");
  home = mkdtempSync(join(tmpdir(), "mlops-pipecli-"));
  // No API listens on this port: the CLI runs jobs with an in-process worker.
  env = {
    MLOPS_HOME: home,
    DATABASE_URL: pg.url,
    REDIS_URL: TEST_REDIS_URL,
    MLOPS_QUEUE_PREFIX: prefix,
    MLOPS_API_URL: "http://127.0.0.1:9",
    LOG_LEVEL: "error",
  };
});
afterAll(async () => {
  await pg?.drop();
  await cleanRedisPrefix(prefix);
});

describe("mlops pipeline and mlops sql from the command line", () => {
  it("classifies SQL with reasons", async () => {
    const { code, stdout } = await mlops(["sql", "check", "SELECT 1; DROP TABLE main.gold.x", "--json"]);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.verdict).toBe("destructive");
    expect(parsed.statements[1]).toMatchObject({ kind: "DROP TABLE", target: "main.gold.x" });
  });

  it("plans, draws the DAG, and runs the churn and news pipelines end to end on DuckDB", async () => {
    const plan = await mlops(["pipeline", "plan", "churn", "--json"]);
    expect(plan.code, plan.stderr).toBe(0);
    const parsed = JSON.parse(plan.stdout);
    expect(parsed.steps.map((s: { step: string }) => s.step)).toEqual([
      "customers_raw",
      "customers",
      "churn_features",
      "churn_labels",
    ]);
    expect(parsed.dagFiles.svg).toBe(join(home, "pipelines", "churn", "dag.svg"));
    expect(readFileSync(parsed.dagFiles.svg, "utf8")).toContain("<svg");

    const run = await mlops(["pipeline", "run", "churn", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.status).toBe("completed");
    expect(record.result.steps.map((s: { rowsWritten: number }) => s.rowsWritten)).toEqual([60, 59, 59, 59]);
    expect(existsSync(join(home, "lakehouse", "main.duckdb"))).toBe(true);

    const news = await mlops(["pipeline", "run", "news"]);
    expect(news.code, news.stderr).toBe(0);
    expect(news.stdout).toContain("article_predictions");
    expect(news.stdout).toContain("built-in local keyword model");
    // Each step is printed as it completes, in DAG order.
    const printed = ["articles_raw", "articles", "article_predictions"].map((s) =>
      news.stderr.indexOf(`  ${s}: completed`),
    );
    expect(printed.every((at) => at >= 0)).toBe(true);
    expect([...printed].sort((a, b) => a - b)).toEqual(printed);

    // A worker with a flow producer runs a step job per step: `mlops jobs list` shows them with the run's job.
    const jobs = JSON.parse((await mlops(["jobs", "list", "--json", "--limit", "50"])).stdout).jobs as {
      id: string;
      name: string;
      status: string;
    }[];
    const churnRun = jobs.find((j) => j.id === record.id)!;
    expect(churnRun).toMatchObject({ name: "pipeline.run", status: "completed" });
    for (const step of record.result.flow?.steps ?? []) {
      expect(jobs).toContainEqual(
        expect.objectContaining({ id: step.jobId, name: "pipeline.step", status: "completed" }),
      );
    }
  }, 120_000);

  it("refuses a destructive step without an approval and exits non-zero", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pipecli-spec-"));
    writeFileSync(join(dir, "t.csv"), "id,v\n1,a\n");
    writeFileSync(
      join(dir, "tiny.yaml"),
      `name: tiny
tables:
  - { name: t_raw, layer: bronze, source: { path: t.csv }, columns: [{ name: id, type: BIGINT }, { name: v, type: VARCHAR }], mode: overwrite }
`,
    );
    expect((await mlops(["pipeline", "run", join(dir, "tiny.yaml")])).code).toBe(0);
    const plan = JSON.parse((await mlops(["pipeline", "plan", join(dir, "tiny.yaml"), "--json"])).stdout);
    expect(plan.approvalsNeeded).toEqual([
      expect.objectContaining({ kind: "pipeline.overwrite", target: "main.bronze.t_raw" }),
    ]);
    const refused = await mlops(["pipeline", "run", join(dir, "tiny.yaml")]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Overwrite of main.bronze.t_raw \(it holds data\) was refused: No unused approval/);
  }, 90_000);
});
