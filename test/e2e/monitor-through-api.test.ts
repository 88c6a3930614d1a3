import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanRedisPrefix, TEST_REDIS_URL, uniquePrefix } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, runCli, tempHome } from "./cli-helpers";

// While `mlops up` holds the embedded database and the DuckDB file, monitor commands must go through the API.
const prefix = uniquePrefix("e2e-monitor");
let env: Record<string, string>;
let home: string;

beforeAll(async () => {
  home = tempHome();
  env = {
    MLOPS_HOME: home,
    PORT: String(await freePort()),
    REDIS_URL: TEST_REDIS_URL,
    MLOPS_QUEUE_PREFIX: prefix,
    DATABASE_URL: "",
    LOG_LEVEL: "warn",
  };
});
afterAll(async () => {
  await runCli(["down"], env);
  await cleanRedisPrefix(prefix);
});

describe("monitors while the stack is up", () => {
  it("creates, lists, runs and shows a monitor through the running API", async () => {
    expect((await runCli(["up", "--detach"], env)).code).toBe(0);
    expect((await runCli(["pipeline", "run", "churn"], env)).code).toBe(0);
    const spec = join(home, "monitor.yaml");
    writeFileSync(
      spec,
      [
        "name: churn-by-tenure",
        "table: main.churn_silver.customers",
        "columns: [tenure, monthly_charges]",
        "windows:",
        '  baseline: { where: "tenure < 24" }',
        '  current: { where: "tenure >= 24" }',
        "onBreach: none",
      ].join("\n"),
    );
    expect((await runCli(["monitor", "create", "--file", spec], env)).code).toBe(0);
    const list = await runCli(["monitor", "list", "--json"], env);
    expect((JSON.parse(list.stdout) as { spec: { name: string } }[]).map((m) => m.spec.name)).toEqual([
      "churn-by-tenure",
    ]);

    const run = await runCli(["monitor", "run", "churn-by-tenure", "--json"], env);
    expect(run.stderr).toContain("using the running stack");
    expect(JSON.parse(run.stdout)).toMatchObject({
      name: "monitor.run",
      status: "completed",
      result: { status: "alert" },
    });

    const show = await runCli(["monitor", "show", "churn-by-tenure", "--json"], env);
    const shown = JSON.parse(show.stdout) as {
      latest: { columnName: string; statistic: string; status: string }[];
      svg: string;
    };
    expect(shown.latest.find((v) => v.columnName === "tenure" && v.statistic === "psi")?.status).toBe("alert");
    expect(shown.svg).toMatch(/drift\.svg$/);

    // A one-off check through the API, sampled: it says what it read; --exact with --sample-rows is refused.
    const drift = ["drift", "--table", "main.churn_silver.customers", "--columns", "tenure,monthly_charges"];
    const windows = ["--baseline", "tenure < 24", "--current", "tenure >= 24"];
    const sampled = await runCli([...drift, ...windows, "--sample-rows", "10", "--json"], env);
    expect(sampled.code).toBe(0);
    const report = JSON.parse(sampled.stdout) as {
      sample?: { baselineFraction: number; currentFraction: number };
      values: { column: string; statistic: string; details?: { sample?: { baselineRows: number } } }[];
    };
    expect(report.sample?.baselineFraction).toBeLessThan(1);
    const ks = report.values.find((v) => v.column === "tenure" && v.statistic === "ks");
    expect(ks?.details?.sample?.baselineRows).toBeGreaterThan(0);
    const text = await runCli([...drift, ...windows, "--sample-rows", "10"], env);
    expect(text.stdout + text.stderr).toContain("uniform row sample");
    const exact = JSON.parse((await runCli([...drift, ...windows, "--exact", "--json"], env)).stdout) as {
      sample?: unknown;
    };
    expect(exact.sample).toBeUndefined();
    const both = await runCli([...drift, ...windows, "--exact", "--sample-rows", "50"], env);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain("Give --exact or --sample-rows, not both.");
  }, 180_000);
});
