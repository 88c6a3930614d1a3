import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { silentLogger } from "@mlops/core";
import {
  breachActionEnqueuer,
  createExperimentJobServices,
  createRetrainService,
  type JobProcessing,
  parseRetrainTargets,
  startJobProcessing,
} from "@mlops/jobs";
import { createLakehouse, type Lakehouse, type Row } from "@mlops/lakehouse";
import { createEndpointRegistry } from "@mlops/llm";
import { createMlflowClient, createMlflowServer, createSqlTrackingStore, type MlflowClient } from "@mlops/mlflow";
import { createMemoryAlertSink, createMonitorStore, parseMonitorSpec } from "@mlops/monitors";
import { JobProducer } from "@mlops/queue";
import { createModelRegistry, type ModelRegistry, promotionAction } from "@mlops/registry";
import { cleanRedisPrefix, createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniquePrefix } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Deterministic churn-like rows: the baseline window has short tenures and moderate charges, the current window
 * longer tenures and higher charges (drift). Churn follows the contract and the notes, so a text model learns it.
 */
function churnRows(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 400; i++) {
    const current = i >= 200;
    const churn = i % 3 === 0;
    const jitter = ((i * 37) % 100) / 100;
    rows.push({
      id: i,
      period: current ? "current" : "baseline",
      tenure: Math.round((current ? 40 : 12) + jitter * 20),
      monthly_charges: Math.round(((current ? 95 : 55) + jitter * 15) * 100) / 100,
      contract: churn ? "month-to-month" : i % 2 === 0 ? "one-year" : "two-year",
      notes: churn
        ? `fiber customer with billing complaints, ticket ${i % 7}`
        : `autopay customer on a long plan, loyal ${i % 5}`,
      churn: churn ? "Yes" : "No",
    });
  }
  return rows;
}

describe("continuous training: monitor breach → retraining → challenger waiting for approval", () => {
  const prefix = uniquePrefix("ct");
  const model = "main.ml.churn_model";
  let dir: string;
  let lakehouse: Lakehouse;
  let t: TestDatabase;
  let producer: JobProducer;
  let processing: JobProcessing;
  let mlflow: MlflowClient;
  let registry: ModelRegistry;
  let closeExperiments: () => Promise<void>;
  const alerts = createMemoryAlertSink();
  const approvalConfig = parseApprovalConfig({ approvers: { users: ["ana"] } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlops-ct-"));
    lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lakehouse.duckdb") });
    await lakehouse.ensureSchema("main.silver");
    await lakehouse.writeRows("main.silver.churn", churnRows());
    t = await createTestDatabase("postgres", "ct");
    const server = createMlflowServer({
      store: createSqlTrackingStore(t.database.sql),
      artifactRoot: join(dir, "artifacts"),
    });
    mlflow = createMlflowClient({
      trackingUri: "http://mlflow.test",
      fetch: async (input, init) => server.fetch(new Request(input, init)),
    });
    registry = createModelRegistry({ mlflow, db: t.database.db });
    const approvals = createApprovalService({ db: t.database.db, config: approvalConfig });
    producer = new JobProducer({ db: t.database.db, redisUrl: TEST_REDIS_URL, prefix });
    const experiments = createExperimentJobServices({
      db: t.database.db,
      redisUrl: TEST_REDIS_URL,
      prefix,
      registry: createEndpointRegistry({ endpoints: [], credentials: {} }),
      logger: silentLogger(),
      cache: false,
      mlflow,
      modelRegistry: registry,
      approvals,
    });
    closeExperiments = () => experiments.close();
    processing = startJobProcessing({
      services: {
        db: t.database.db,
        logger: silentLogger(),
        experiments,
        monitors: {
          lakehouse: async () => lakehouse,
          alerts,
          requestBreachAction: breachActionEnqueuer(producer),
          retrain: createRetrainService({
            runtime: experiments.runtime,
            lakehouse: async () => lakehouse,
            mlflow,
            registry,
            approvals,
            targets: parseRetrainTargets({
              retrain: [
                {
                  model,
                  data: { table: "main.silver.churn" },
                  labelCol: "churn",
                  textCols: ["contract", "notes"],
                  seed: 3,
                },
              ],
            }),
            logger: silentLogger(),
            tempDir: dir,
          }),
        },
      },
      redisUrl: TEST_REDIS_URL,
      prefix,
      queues: ["monitors", "experiments"],
      logger: silentLogger(),
    });
  }, 60_000);
  afterAll(async () => {
    await processing?.close(0);
    await closeExperiments?.();
    await producer?.close();
    await cleanRedisPrefix(prefix);
    await lakehouse?.close();
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers the retrained model as challenger of a weaker champion and asks to promote it", async () => {
    // a weaker champion: passes the gates at 91% accuracy
    const experimentId = await mlflow.experiments.create({ name: "churn-baseline" });
    const run = await mlflow.runs.create({ experimentId, runName: "old-churn-model" });
    const seeded = await registry.register({
      model,
      runId: run.info.run_id,
      metrics: { accuracy: 0.91, f1: 0.9, precision: 0.9, recall: 0.9 },
    });
    expect(seeded).toMatchObject({ status: "registered", version: "1", alias: "champion" });

    await createMonitorStore(t.database.db).save(
      parseMonitorSpec({
        name: "churn-features",
        table: "main.silver.churn",
        columns: ["tenure", "monthly_charges"],
        windows: { baseline: { where: "period = 'baseline'" }, current: { where: "period = 'current'" } },
        onBreach: "retrain",
        model,
      }),
      { createdBy: "test" },
    );
    const queued = await producer.enqueue(
      "monitor.run",
      { monitor: "churn-features", trigger: "manual" },
      { requestedBy: "test" },
    );
    const monitorRun = await producer.waitFor(queued.id, { timeoutMs: 30_000 });
    expect(monitorRun.status).toBe("completed");
    expect(monitorRun.result).toMatchObject({ status: "alert", action: { kind: "retrain" } });
    expect(alerts.alerts[0]?.breaches.map((b) => b.column)).toEqual(
      expect.arrayContaining(["tenure", "monthly_charges"]),
    );

    const breachJobId = (monitorRun.result as { action: { jobId: string } }).action.jobId;
    const breach = await producer.waitFor(breachJobId, { timeoutMs: 60_000 });
    expect(breach.error ?? null).toBeNull();
    expect(breach.status).toBe("completed");
    const outcome = (breach.result as { outcome: Record<string, unknown> }).outcome as {
      experimentId: string;
      status: string;
      rows: number;
      tracking: { status: string; parentRunId: string };
      challenger: { version: string; approvalId: string };
      registrations: { status: string; version: string | null; alias: string | null }[];
    };
    expect(outcome.status).toBe("completed");
    expect(outcome.rows).toBe(400);
    expect(outcome.tracking.status).toBe("logged");
    expect(outcome.challenger.version).toBe("2");

    // the registry: v2 is challenger, v1 still champion; nothing was promoted
    const status = await registry.status(model);
    expect(status.aliases).toMatchObject({ champion: "1", challenger: "2" });
    expect(status.awaitingReview).toBe(true);
    // the second local model scores the same: not registered again, the outcome names v2
    expect(outcome.registrations.map((r) => r.status).sort()).toEqual(["duplicate", "registered"]);

    // the promotion waits for a person: a pending request for exactly promotionAction(model, "2", "1")
    const approvals = createApprovalService({ db: t.database.db, config: approvalConfig });
    const request = await approvals.get(outcome.challenger.approvalId);
    expect(request).toMatchObject({ state: "pending", requestedBy: "architect" });
    expect(request?.action).toEqual(promotionAction(model, "2", "1"));

    // the retraining was logged: parent run and nested model runs with the champion-beating accuracy
    const parent = await mlflow.runs.get(outcome.tracking.parentRunId);
    const children = await mlflow.runs.search({
      experimentIds: [parent.info.experiment_id],
      filter: `tags.\`mlflow.parentRunId\` = '${parent.info.run_id}'`,
    });
    expect(children.items).toHaveLength(2);
    for (const child of children.items) {
      const accuracy = child.data.metrics.find((m) => m.key === "accuracy")?.value ?? 0;
      expect(accuracy).toBeGreaterThanOrEqual(0.93);
    }
  }, 90_000);
});
