import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { createTestDatabase, type TestDatabase } from "@mlops/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isPipelineError, type PipelineError } from "../errors";
import { planPipeline } from "../plan/plan-pipeline";
import { parseBackfillRange } from "../plan/step-actions";
import { loadPipeline, parsePipeline } from "../spec/load-spec";
import { createPipelineStore, type PipelineStore } from "../store/pipeline-store";
import type { PipelineAction } from "./pipeline-action";
import { runPipeline } from "./run-pipeline";

let t: TestDatabase;
let store: PipelineStore;
let dir: string;
let lakehouse: Lakehouse;

beforeAll(async () => {
  t = await createTestDatabase("postgres", "pipelines");
  store = createPipelineStore(t.database.db);
});
afterAll(async () => {
  await lakehouse?.close();
  await t?.cleanup();
});
beforeEach(async () => {
  await lakehouse?.close();
  dir = mkdtempSync(join(tmpdir(), "pipelines-"));
  lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lake.duckdb") });
});

async function failure(promise: Promise<unknown>): Promise<PipelineError> {
  try {
    await promise;
  } catch (error) {
    if (isPipelineError(error)) return error;
    throw error;
  }
  throw new Error("expected the run to fail");
}

const rows = async (sql: string) => (await lakehouse.query(sql)).rows;
const count = async (table: string) => Number((await rows(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

/** A small pipeline over a CSV whose rows we control: orders → clean orders → daily revenue. */
function ordersPipeline(csv: string, goldMode = "overwrite", extra = "") {
  const file = join(dir, "orders.csv");
  writeFileSync(file, csv);
  return parsePipeline(
    `name: orders
tables:
  - name: orders_raw
    layer: bronze
    source: { path: orders.csv }
    columns: [{ name: id, type: BIGINT }, { name: day, type: DATE }, { name: amount, type: DOUBLE }]
    mode: merge
    keys: [id]
  - name: orders
    layer: silver
    sql: SELECT id, day, amount FROM main.bronze.orders_raw
    mode: merge
    keys: [id]
    dateColumn: day
    expectations:
      - { name: amount_known, condition: "amount IS NOT NULL", action: warn }
      - { name: amount_positive, condition: "amount > 0", action: drop }
      - { name: not_huge, condition: "amount IS NULL OR amount < 1000000", action: fail }
  - name: revenue
    layer: gold
    sql: SELECT day, sum(amount) AS revenue, count(*) AS orders FROM main.silver.orders GROUP BY day
    mode: ${goldMode}
    dateColumn: day
${extra}`,
    { baseDir: dir, origin: "orders.yaml" },
  );
}

const GOOD = "id,day,amount\n1,2024-01-01,10\n2,2024-01-01,\n3,2024-01-02,-5\n4,2024-01-02,20\n5,2024-01-03,30\n";

describe("running pipelines on DuckDB", () => {
  it("runs the churn pipeline end to end: types cleaned, expectations counted, lineage recorded", async () => {
    const pipeline = loadPipeline("churn");
    const result = await runPipeline(pipeline, { lakehouse, store, requestedBy: "ana" });
    expect(result.steps.map((s) => [s.step, s.rowsIn, s.rowsWritten])).toEqual([
      ["customers_raw", 60, 60],
      ["customers", 60, 59],
      ["churn_features", 59, 59],
      ["churn_labels", 59, 59],
    ]);
    const silver = result.steps[1]!;
    expect(silver.expectations.map((e) => [e.name, e.outcome, e.failedRows])).toEqual([
      ["total_charges_parsed", "warned", 5],
      ["tenure_in_range", "dropped", 1],
      ["senior_citizen_known", "passed", 0],
    ]);
    expect(await rows("SELECT DISTINCT senior_citizen FROM main.churn_silver.customers ORDER BY 1")).toEqual([
      { senior_citizen: 0 },
      { senior_citizen: 1 },
    ]);
    expect(await count("main.churn_gold.churn_features WHERE total_charges IS NULL")).toBe(0);
    expect((await lakehouse.describeTable("main.churn_gold.churn_labels")).columns.map((c) => c.type)).toEqual([
      "VARCHAR",
      "INTEGER",
    ]);
    // Nothing of the staging tables is left behind.
    const tables = await lakehouse.listTables("main.churn_gold");
    expect(tables.map((x) => x.name.table).sort()).toEqual(["churn_features", "churn_labels"]);

    const run = await store.getRun(result.runId);
    expect(run).toMatchObject({ status: "completed", requestedBy: "ana" });
    expect(run!.expectations).toHaveLength(6);
    const lineage = await store.lineage("main.churn_silver.customers");
    expect(lineage.map((l) => `${l.source} → ${l.targetTable}`).sort()).toEqual([
      "main.churn_bronze.customers_raw → main.churn_silver.customers",
      "main.churn_silver.customers → main.churn_gold.churn_features",
      "main.churn_silver.customers → main.churn_gold.churn_labels",
    ]);
    expect(run!.lineage.find((l) => l.sourceKind === "file")?.source).toMatch(/telco_churn_sample\.csv$/);

    // A second run merges into the same rows and finds no drift.
    const again = await runPipeline(pipeline, { lakehouse, store });
    expect(again.steps.every((s) => s.drift === undefined)).toBe(true);
    expect(await count("main.churn_gold.churn_features")).toBe(59);
  });

  it("scores the news pipeline with the injected champion, or the local model when there is none", async () => {
    const pipeline = loadPipeline("news");
    const local = await runPipeline(pipeline, { lakehouse, store });
    expect(local.steps[1]).toMatchObject({ rowsIn: 11, rowsWritten: 10 }); // one duplicate and one stub removed
    expect(local.steps[2]!.notes[0]).toContain("built-in local keyword model");
    const sports = await rows("SELECT prediction FROM main.news_gold.article_predictions WHERE id = 'n002'");
    expect(sports).toEqual([{ prediction: "Sports" }]);

    const seen: string[] = [];
    const champion = await runPipeline(pipeline, {
      lakehouse,
      store,
      scorers: async (model) => ({
        model: model.split("@")[0]!,
        version: "7",
        score: async (texts) => {
          seen.push(...texts);
          return texts.map(() => ({ label: "World", score: 0.9 }));
        },
      }),
    });
    expect(seen).toHaveLength(10);
    expect(champion.steps[2]!.notes).toEqual([]);
    expect(
      await rows("SELECT DISTINCT prediction, model, model_version FROM main.news_gold.article_predictions"),
    ).toEqual([{ prediction: "World", model: "main.ml.news_classifier", model_version: "7" }]);
    const run = await store.getRun(champion.runId);
    expect(run!.lineage.find((l) => l.sourceKind === "model")?.source).toBe("main.ml.news_classifier@7");
  });

  it("plans without changing anything: steps, destructive ones, row estimates and the DAG", async () => {
    const pipeline = ordersPipeline(GOOD);
    const first = await planPipeline(pipeline, { lakehouse });
    expect(first.steps.map((s) => [s.step, s.estimatedRows, s.destructive])).toEqual([
      ["orders_raw", 5, false],
      ["orders", 5, false],
      ["revenue", 5, false],
    ]);
    expect(first.approvalsNeeded).toEqual([]);
    expect(await lakehouse.tableExists("main.bronze.orders_raw")).toBe(false);
    await runPipeline(pipeline, { lakehouse, store });
    const second = await planPipeline(pipeline, { lakehouse });
    expect(second.steps[2]).toMatchObject({ destructive: true, targetRows: 3, estimatedRows: 3 });
    expect(second.approvalsNeeded).toEqual([
      expect.objectContaining({
        kind: "pipeline.overwrite",
        target: "main.gold.revenue",
        sql: expect.stringContaining("sum(amount)"),
      }),
    ]);
    expect(second.dag.text).toContain("3. revenue [gold, overwrite] main.gold.revenue");
    expect(second.dag.mermaid).toContain("orders --> revenue");
  });

  it("warns, drops and fails as declared, and a failing run leaves gold untouched and resumes", async () => {
    const pipeline = ordersPipeline(GOOD, "merge\n    keys: [day]");
    const ok = await runPipeline(pipeline, { lakehouse, store });
    expect(ok.steps[1]!.expectations.map((e) => [e.name, e.failedRows, e.outcome])).toEqual([
      ["amount_known", 1, "warned"],
      ["amount_positive", 2, "dropped"], // the NULL amount and the negative one
      ["not_huge", 0, "passed"],
    ]);
    const goldBefore = await rows("SELECT * FROM main.gold.revenue ORDER BY day");
    expect(goldBefore).toHaveLength(3);

    // A bad file: the silver step fails its expectation; silver and gold stay as they were.
    writeFileSync(join(dir, "orders.csv"), `${GOOD}6,2024-01-03,5000000\n`);
    const error = await failure(runPipeline(pipeline, { lakehouse, store }));
    expect(error.code).toBe("PIPELINE_EXPECTATION_FAILED");
    expect(error.message).toContain("not_huge (1 of 6 rows)");
    expect(error.context).toMatchObject({ failedStep: "orders" });
    expect(await count("main.silver.orders")).toBe(3);
    expect(await rows("SELECT * FROM main.gold.revenue ORDER BY day")).toEqual(goldBefore);
    expect((await lakehouse.listTables("main.silver")).map((x) => x.name.table)).toEqual(["orders"]);
    const failedRun = await store.getRun(String(error.context.runId));
    expect(failedRun).toMatchObject({ status: "failed", failedStep: "orders" });
    expect(failedRun!.steps.map((s) => s.status)).toEqual(["completed", "failed", "pending"]);

    // The expectation is relaxed to a warning: resume runs only what the failed run left undone.
    const relaxed = ordersPipeline(`${GOOD}6,2024-01-03,5000000\n`, "merge\n    keys: [day]");
    relaxed.steps[1]!.spec.expectations[2]!.action = "warn";
    const resumed = await runPipeline(relaxed, { lakehouse, store, resume: "latest" });
    expect(resumed.resumedFrom).toBe(failedRun!.id);
    expect(resumed.steps.map((s) => s.step)).toEqual(["orders", "revenue"]);
    expect(resumed.steps[0]!.expectations[2]).toMatchObject({ name: "not_huge", outcome: "warned", failedRows: 1 });
    expect(await rows("SELECT revenue FROM main.gold.revenue WHERE day = DATE '2024-01-03'")).toEqual([
      { revenue: 5000030 },
    ]);
    expect((await failure(runPipeline(pipeline, { lakehouse, store, resume: "latest" }))).code).toBe(
      "PIPELINE_NOTHING_TO_RESUME",
    );
  });

  it("refuses to overwrite data without an approval, and overwrites with exactly the planned action approved", async () => {
    const pipeline = ordersPipeline(GOOD);
    await runPipeline(pipeline, { lakehouse, store }); // creates gold: no data to lose yet
    const before = await rows("SELECT * FROM main.gold.revenue ORDER BY day");
    writeFileSync(join(dir, "orders.csv"), "id,day,amount\n1,2024-01-01,99\n");

    const refused = await failure(runPipeline(pipeline, { lakehouse, store }));
    expect(refused.code).toBe("PIPELINE_APPROVAL_REQUIRED");
    expect(refused.context.action).toMatchObject({ kind: "pipeline.overwrite", target: "main.gold.revenue" });
    const rejecting = await failure(
      runPipeline(pipeline, {
        lakehouse,
        store,
        approvalGuard: async () => {
          throw new Error("APPROVAL_MISSING: no approved request for this action");
        },
      }),
    );
    expect(rejecting.message).toContain("APPROVAL_MISSING");
    expect(await rows("SELECT * FROM main.gold.revenue ORDER BY day")).toEqual(before);
    expect(await count("main.bronze.orders_raw")).toBe(5); // refused before any step ran

    const planned = (await planPipeline(pipeline, { lakehouse })).approvalsNeeded;
    const approved: PipelineAction[] = [];
    await runPipeline(pipeline, { lakehouse, store, approvalGuard: async (action) => void approved.push(action) });
    expect(approved).toEqual(planned);
    expect(await rows("SELECT day, revenue FROM main.gold.revenue ORDER BY day")).toEqual([
      { day: "2024-01-01", revenue: 99 },
      { day: "2024-01-02", revenue: 20 },
      { day: "2024-01-03", revenue: 30 },
    ]);
  });

  it("backfills a date range only with an approval, replacing just that range", async () => {
    const pipeline = ordersPipeline(GOOD, "merge\n    keys: [day]");
    await runPipeline(pipeline, { lakehouse, store });
    writeFileSync(join(dir, "orders.csv"), "id,day,amount\n1,2024-01-01,11\n4,2024-01-02,21\n5,2024-01-03,31\n");
    const range = parseBackfillRange("2024-01-02..2024-01-02");
    const refused = await failure(runPipeline(pipeline, { lakehouse, store, from: "orders", backfill: range }));
    expect(refused.code).toBe("PIPELINE_APPROVAL_REQUIRED");
    expect(refused.context.action).toMatchObject({ kind: "pipeline.backfill", target: "orders" });

    const actions: PipelineAction[] = [];
    await runPipeline(pipeline, {
      lakehouse,
      store,
      from: "orders_raw",
      backfill: range,
      approvalGuard: async (a) => void actions.push(a),
    });
    expect(actions.map((a) => a.kind)).toEqual(["pipeline.backfill"]);
    expect(await rows("SELECT day, revenue FROM main.gold.revenue ORDER BY day")).toEqual([
      { day: "2024-01-01", revenue: 10 },
      { day: "2024-01-02", revenue: 21 },
      { day: "2024-01-03", revenue: 30 },
    ]);
    expect(() => parseBackfillRange("2024-02-01..2024-01-01")).toThrow(/Invalid backfill range/);
  });

  it("checks a source file against the declared columns, and reports schema drift between runs", async () => {
    const pipeline = ordersPipeline("id,day,amount,region\n1,2024-01-01,10,west\n2,2024-01-02,n/a,east\n");
    const error = await failure(runPipeline(pipeline, { lakehouse, store }));
    expect(error.code).toBe("PIPELINE_SCHEMA_MISMATCH");
    expect(error.message).toContain('amount: declared DOUBLE, the file has VARCHAR (values such as "n/a")');
    expect(await lakehouse.tableExists("main.bronze.orders_raw")).toBe(false);

    writeFileSync(join(dir, "orders.csv"), "id,day,amount,region\n1,2024-01-01,10,west\n2,2024-01-02,12,east\n");
    const first = await runPipeline(pipeline, { lakehouse, store });
    expect(first.steps[0]!.notes).toEqual(["file columns not declared, not loaded: region"]);

    // Overwrite may change the columns (approved), and the drift is reported.
    const widened = ordersPipeline("id,day,amount\n1,2024-01-01,10\n");
    const spec = widened.steps[2]!.spec;
    spec.sql =
      "SELECT day, sum(amount) AS revenue, count(*) AS orders, max(amount) AS biggest FROM main.silver.orders GROUP BY day";
    const drifted = await runPipeline(widened, { lakehouse, store, approvalGuard: async () => undefined });
    expect(drifted.steps[2]!.drift).toEqual({ added: [{ name: "biggest", type: "DOUBLE" }], removed: [], changed: [] });
    expect(drifted.steps[2]!.notes).toContain("schema drift since the previous run: +biggest DOUBLE");

    // Merge cannot change a table's columns: refused, the table unchanged.
    const silver = widened.steps[1]!.spec;
    silver.sql = "SELECT id, day, amount, 1 AS extra FROM main.bronze.orders_raw";
    const refused = await failure(
      runPipeline(widened, { lakehouse, store, from: "orders", approvalGuard: async () => undefined }),
    );
    expect(refused.code).toBe("PIPELINE_SCHEMA_DRIFT");
    expect(refused.message).toContain("new extra");
    expect((await lakehouse.describeTable("main.silver.orders")).columns.map((c) => c.name)).toEqual([
      "id",
      "day",
      "amount",
    ]);
  });
});
