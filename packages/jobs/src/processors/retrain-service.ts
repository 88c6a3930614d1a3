import type { ApprovalService } from "@mlops/approvals";
import type { Logger } from "@mlops/core";
import {
  ConfusionCounter,
  type ExperimentRuntime,
  type Governance,
  readDatasetRows,
  resolveDatasetSource,
  runExperimentInProcess,
} from "@mlops/experiments";
import type { Lakehouse } from "@mlops/lakehouse";
import type { MlflowClient } from "@mlops/mlflow";
import { createBatchScorer, type ModelRegistry } from "@mlops/registry";
import { UnrecoverableError } from "bullmq";
import { recordExperimentOutcome } from "./experiment-outcome";
import type { RetrainRequest, RetrainService } from "./monitor-services";
import { findRetrainTarget, type RetrainTarget } from "./retrain-targets";
import { materialiseTrainingData } from "./retrain-training-data";

export interface RetrainServiceOptions {
  runtime: ExperimentRuntime;
  /** The configured lakehouse, opened on first use (tables are read from it). */
  lakehouse: () => Promise<Lakehouse>;
  mlflow: MlflowClient | undefined;
  registry: ModelRegistry | undefined;
  approvals: ApprovalService | undefined;
  /** `monitors.retrain` of the configuration (see `parseRetrainTargets`). */
  targets: readonly RetrainTarget[];
  governance?: Partial<Governance>;
  logger: Logger;
  /** Relative data paths are resolved against it. @defaultValue process.cwd() */
  cwd?: string;
  tempDir?: string;
}

function targetFor(targets: readonly RetrainTarget[], request: RetrainRequest): RetrainTarget {
  const target = findRetrainTarget(targets, request);
  if (!target) {
    throw new UnrecoverableError(
      `no training data configured for ${request.model}: add an entry with model: ${request.model} under monitors.retrain in mlops.config.yaml (data: { path } or { table }, labelCol, textCols)`,
    );
  }
  return target;
}

/**
 * The continuous-training half of monitoring: a breach's `retrain` runs an experiment (the target's models, local
 * ones by default) on the configured training data (a file, or a lakehouse table streamed to a temporary CSV),
 * logs it to MLflow and registers the results under the breached model; a version that beats the champion becomes
 * `challenger` and an approval request for its promotion waits for a person. `reevaluate` scores the current
 * champion on the same data and reports whether it still meets its recorded accuracy.
 */
export function createRetrainService(options: RetrainServiceOptions): RetrainService {
  const store = options.runtime.store;
  return {
    async retrain(request) {
      const target = targetFor(options.targets, request);
      const data = await materialiseTrainingData(target, {
        lakehouse: options.lakehouse,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.tempDir ? { tempDir: options.tempDir } : {}),
      });
      try {
        const report = await runExperimentInProcess(
          options.runtime,
          {
            dataset: data.path,
            models: target.models,
            labelCol: target.labelCol,
            textCols: target.textCols,
            ...(target.sentimentCol ? { sentimentCol: target.sentimentCol } : {}),
            ...(target.testFraction ? { testFraction: target.testFraction } : {}),
            ...(target.seed !== undefined ? { seed: target.seed } : {}),
            ...(target.limit ? { limit: target.limit } : {}),
          },
          {
            requestedBy: `monitor:${request.monitor}`,
            ...(options.governance ? { governance: options.governance } : {}),
          },
        );
        const stored = await recordExperimentOutcome(
          {
            store,
            logger: options.logger,
            mlflow: options.mlflow,
            registry: options.registry,
            approvals: options.approvals,
          },
          report,
          {
            model: request.model,
            register: true,
            requireApproval: false,
            mlflowExperiment: target.mlflowExperiment ?? `mlops/retrain-${request.model}`,
          },
        );
        const challenger = stored.registrations.find((r) => r.alias === "challenger");
        options.logger.info(
          { monitor: request.monitor, model: request.model, experimentId: report.experimentId, challenger },
          "retraining finished",
        );
        return {
          experimentId: report.experimentId,
          status: report.status,
          trainingData: data.source,
          rows: data.rows ?? null,
          tracking: {
            status: stored.tracking.status,
            ...(stored.tracking.status === "logged" ? { parentRunId: stored.tracking.parentRunId } : {}),
          },
          registrations: stored.registrations.map((r) => ({
            model: r.model,
            status: r.status,
            version: r.version ?? null,
            alias: r.alias ?? null,
            approvalId: r.approvalId ?? null,
            message: r.message,
          })),
          challenger: challenger
            ? { version: challenger.version ?? null, approvalId: challenger.approvalId ?? null }
            : null,
        };
      } finally {
        data.cleanup();
      }
    },

    async reevaluate(request) {
      const target = targetFor(options.targets, request);
      if (!options.registry) throw new UnrecoverableError("no model registry configured: cannot re-evaluate");
      const { spec, version } = await options.registry.loadModelSpec(`models:/${request.model}@champion`);
      const recordedAccuracy = (await options.registry.deps.mlflow.modelVersions.get(request.model, version)).tags.find(
        (t) => t.key === "metric.accuracy",
      )?.value;
      if (spec.kind !== "local") {
        throw new UnrecoverableError(
          `champion of ${request.model} runs on endpoint ${spec.endpoint}: re-evaluate it with an experiment instead`,
        );
      }
      const data = await materialiseTrainingData(target, {
        lakehouse: options.lakehouse,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.tempDir ? { tempDir: options.tempDir } : {}),
      });
      try {
        const score = createBatchScorer(spec);
        const counter = new ConfusionCounter();
        const columns = { labelCol: target.labelCol, textCols: target.textCols };
        const source = resolveDatasetSource(data.path);
        let batch: { text: string; label: string }[] = [];
        const flush = async () => {
          const predictions = await score(batch.map((b) => b.text));
          for (const [i, b] of batch.entries()) counter.add(b.label, predictions[i]?.label ?? null);
          batch = [];
        };
        for await (const record of readDatasetRows(source, columns)) {
          if (record.kind !== "row") continue;
          batch.push({ text: record.value.text, label: record.value.category });
          if (batch.length >= 1000) await flush();
        }
        if (batch.length > 0) await flush();
        const metrics = counter.metrics(spec.labels);
        const recorded = Number(recordedAccuracy ?? Number.NaN);
        return {
          model: request.model,
          version,
          items: metrics.items,
          accuracy: metrics.accuracy,
          f1: metrics.macro.f1,
          recordedAccuracy: Number.isFinite(recorded) ? recorded : null,
          drop: Number.isFinite(recorded) ? recorded - metrics.accuracy : null,
        };
      } finally {
        data.cleanup();
      }
    },
  };
}
