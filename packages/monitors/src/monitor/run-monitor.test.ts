import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@mlops/core";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { createTestDatabase, type TestDatabase } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDriftSvg, sparkline } from "../render/drift-chart";
import { type BreachActionRequest, createMemoryAlertSink } from "./breach-actions";
import { parseMonitorYaml } from "./monitor-spec";
import { createMonitorStore } from "./monitor-store";
import { recordExpectationResults } from "./record-expectations";
import { readResultHistory } from "./results-table";
import { runMonitor } from "./run-monitor";

/*
 * Churn-like data generated in SQL: 4,000 rows in January (baseline) and 4,000 in February (current). Columns are
 * Weyl sequences frac(i·α) (equidistributed, so both months are near-perfect samples of the same law) mapped through
 * each column's distribution. In February tenure is skewed to short tenures (u² instead of u) and MonthlyCharges
 * moves up by 25; contract, senior citizen, the prediction and its confidence keep their distributions.
 */
const CHURN_SQL = `
CREATE TABLE main.silver.churn AS
WITH g AS (
  SELECT i, i >= 4000 AS cur,
    (i * 0.6180339887498949) - floor(i * 0.6180339887498949) AS u1,
    (i * 0.4142135623730951) - floor(i * 0.4142135623730951) AS u2,
    (i * 0.7320508075688772) - floor(i * 0.7320508075688772) AS u3,
    (i * 0.2360679774997897) - floor(i * 0.2360679774997897) AS u4,
    (i * 0.6457513110645906) - floor(i * 0.6457513110645906) AS u5
  FROM range(8000) r(i))
SELECT
  CASE WHEN cur THEN TIMESTAMP '2025-02-01' ELSE TIMESTAMP '2025-01-01' END + INTERVAL (i % 28) DAY AS event_time,
  CAST(floor(CASE WHEN cur THEN u1 * u1 ELSE u1 END * 72) AS INTEGER) AS tenure,
  20 + u2 * 100 + CASE WHEN cur THEN 25 ELSE 0 END AS "MonthlyCharges",
  CASE WHEN u3 < 0.55 THEN 'month-to-month' WHEN u3 < 0.76 THEN 'one-year' ELSE 'two-year' END AS contract,
  CAST(u4 < 0.16 AS INTEGER) AS senior_citizen,
  CASE WHEN u5 < 0.27 THEN 'churn' ELSE 'stay' END AS prediction,
  0.5 + abs(u5 - 0.27) / 1.46 AS confidence,
  CASE WHEN u5 < 0.27 OR u3 < 0.1 THEN 'churn' ELSE 'stay' END AS label
FROM g`;

const MONITOR_YAML = `
name: churn-features
table: main.silver.churn
timeColumn: event_time
columns: [tenure, MonthlyCharges, contract, senior_citizen]
categoricalColumns: [senior_citizen]
windows:
  baseline: { from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z" }
  current: { last: 28d }
prediction: { predictionColumn: prediction, confidenceColumn: confidence, labelColumn: label }
schedule: { every: 1d }
onBreach: retrain
model: main.ml.churn_model
`;

describe("runMonitor over churn-like data with a shifted month", () => {
  let dir: string;
  let lakehouse: Lakehouse;
  let t: TestDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlops-monitor-"));
    lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lakehouse.duckdb") });
    await lakehouse.ensureSchema("main.silver");
    await lakehouse.execute(CHURN_SQL);
    t = await createTestDatabase("postgres", "monitors");
  }, 60_000);
  afterAll(async () => {
    await lakehouse?.close();
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("flags tenure and MonthlyCharges, not the others; records results, alerts and asks for a retrain", async () => {
    const [spec] = parseMonitorYaml(MONITOR_YAML);
    const store = createMonitorStore(t.database.db);
    await store.save(spec!, { createdBy: "test" });
    await expect(store.save(spec!, { createdBy: "test" })).rejects.toMatchObject({ code: "MONITOR_ALREADY_EXISTS" });
    const alerts = createMemoryAlertSink();
    const requests: BreachActionRequest[] = [];
    const clock = fixedClock(new Date("2025-03-01T00:00:00Z"));
    const result = await runMonitor(spec!, {
      lakehouse,
      store,
      alerts,
      clock,
      requestBreachAction: async (request) => {
        requests.push(request);
        return { jobId: "job_retrain_1" };
      },
    });

    const statusOf = (column: string) => {
      const statuses = result.values.filter((v) => v.column === column).map((v) => v.status);
      return statuses.includes("alert") ? "alert" : statuses.includes("warn") ? "warn" : "ok";
    };
    expect(statusOf("tenure")).toBe("alert");
    expect(statusOf("MonthlyCharges")).toBe("alert");
    for (const column of ["contract", "senior_citizen", "prediction", "confidence"])
      expect(statusOf(column)).toBe("ok");
    const psi = (column: string) => result.values.find((v) => v.column === column && v.statistic === "psi")!.value;
    expect(psi("tenure")).toBeGreaterThan(0.25);
    expect(psi("MonthlyCharges")).toBeGreaterThan(0.25);
    expect(psi("contract")).toBeLessThan(0.01);
    expect(result.values.find((v) => v.statistic === "accuracy")).toMatchObject({ status: "ok", kind: "model" });
    expect(result.status).toBe("alert");
    expect(result.report).toMatchObject({ baselineRows: 4000, currentRows: 4000 });

    expect(alerts.alerts).toHaveLength(1);
    expect(alerts.alerts[0]).toMatchObject({
      monitor: "churn-features",
      status: "alert",
      action: { kind: "retrain", jobId: "job_retrain_1" },
    });
    expect(new Set(alerts.alerts[0]!.breaches.map((b) => b.column))).toEqual(new Set(["tenure", "MonthlyCharges"]));
    expect(requests[0]).toMatchObject({ kind: "retrain", model: "main.ml.churn_model", runId: result.runId });

    const { rows } = await lakehouse.query<{ n: number; alerts: number }>(
      "SELECT count(*) AS n, count(*) FILTER (WHERE status = 'alert') AS alerts FROM main.gold.monitor_results WHERE run_id = ?",
      [result.runId],
    );
    expect(rows[0]!.n).toBe(result.values.length);
    expect(rows[0]!.alerts).toBeGreaterThanOrEqual(4);
    const stored = await store.get("churn-features");
    expect(stored).toMatchObject({ lastStatus: "alert", lastRunId: result.runId, schedule: "every:1d" });
    expect((await store.runs("churn-features"))[0]).toMatchObject({ status: "alert", trigger: "manual" });

    clock.advance(86_400_000);
    await runMonitor(spec!, { lakehouse, store, alerts, clock });
    const history = await readResultHistory(lakehouse, "churn-features");
    expect(new Set(history.map((h) => h.runId)).size).toBe(2);
    const svg = renderDriftSvg("churn-features", history);
    expect(svg).toContain("<svg");
    expect(svg).toContain("MonthlyCharges");
    expect(sparkline([0, 0.1, 0.3, null, 0.05])).toBe("▁▃█ ▂");
  });

  it("runs with no breach action service and says so", async () => {
    const [spec] = parseMonitorYaml(MONITOR_YAML.replace("name: churn-features", "name: churn-nosvc"));
    const alerts = createMemoryAlertSink();
    const result = await runMonitor(spec!, { lakehouse, alerts, clock: fixedClock(new Date("2025-03-01T00:00:00Z")) });
    expect(result.alert?.action).toEqual({ kind: "retrain", error: "no retrain job producer configured" });
    expect(alerts.alerts[0]!.text).toContain("not queued");
  });

  it("records pipeline expectations into the same results table", async () => {
    const out = await recordExpectationResults(lakehouse, {
      pipeline: "churn-silver",
      table: "main.silver.churn",
      results: [
        { name: "tenure_not_null", column: "tenure", action: "fail", passed: true, rows: 8000, failedRows: 0 },
        {
          name: "charges_positive",
          column: "MonthlyCharges",
          action: "drop",
          passed: false,
          rows: 8000,
          failedRows: 12,
        },
      ],
    });
    expect(out).toMatchObject({ rows: 2, status: "warn" });
    const { rows } = await lakehouse.query(
      "SELECT statistic, status, value FROM main.gold.monitor_results WHERE source = 'expectation' ORDER BY statistic",
    );
    expect(rows).toEqual([
      { statistic: "expectation:charges_positive", status: "warn", value: 12 / 8000 },
      { statistic: "expectation:tenure_not_null", status: "ok", value: 0 },
    ]);
  });

  it("refuses a bad definition with the fields named", () => {
    expect(() => parseMonitorYaml("name: Bad Name\ntable: t\nwindows: {baseline: {}, current: {}}")).toThrow(/name/);
    expect(() => parseMonitorYaml(MONITOR_YAML.replace("model: main.ml.churn_model", ""))).toThrow(/no model/);
  });
});
