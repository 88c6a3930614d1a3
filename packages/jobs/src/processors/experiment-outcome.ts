import type { ApprovalService } from "@mlops/approvals";
import type { Logger } from "@mlops/core";
import type { ExperimentReport, ExperimentStore } from "@mlops/experiments";
import type { MlflowClient } from "@mlops/mlflow";
import type { ExperimentRegistration } from "@mlops/queue";
import type { ModelRegistry } from "@mlops/registry";
import {
  deferredRegistrations,
  type ModelRegistrationSummary,
  registerExperimentModels,
  registrableModels,
} from "./experiment-registration";
import { type ExperimentTrackingOutcome, trackExperiment } from "./experiment-tracking";

/** The stored report with where it was logged and what was registered (`mlops experiment show` prints both). */
export type ExperimentReportWithOutcome = ExperimentReport & {
  tracking: ExperimentTrackingOutcome;
  registrations: ModelRegistrationSummary[];
};

export interface ExperimentOutcomeServices {
  store: ExperimentStore;
  logger: Logger;
  mlflow?: MlflowClient | undefined;
  registry?: ModelRegistry | undefined;
  approvals?: ApprovalService | undefined;
}

/**
 * After an experiment's report: logs it to MLflow (parent + child runs; kept in the outbox when MLflow is
 * unreachable), registers its models when `registration.model` is set (a challenger gets a promotion approval
 * request), and stores the report with both outcomes.
 */
export async function recordExperimentOutcome(
  services: ExperimentOutcomeServices,
  report: ExperimentReport,
  registration: ExperimentRegistration | undefined,
): Promise<ExperimentReportWithOutcome> {
  const wantsRegistration = Boolean(registration?.model && services.registry);
  const { outcome: tracking, plan } = await trackExperiment(
    {
      store: services.store,
      mlflow: services.mlflow,
      registry: services.registry,
      logger: services.logger,
      experimentName: registration?.mlflowExperiment,
      ...(wantsRegistration
        ? { deferredRegistrations: () => deferredRegistrations(services.store, report, registration) }
        : {}),
    },
    report,
  );
  let registrations: ModelRegistrationSummary[] = [];
  if (registration?.model && !services.registry) {
    registrations = [
      {
        model: "*",
        registeredModel: registration.model,
        status: "skipped",
        message: "No model registry configured on this worker: nothing registered.",
      },
    ];
  } else if (registration?.model && services.registry && plan) {
    if (tracking.status === "logged") {
      const runIds = new Map(tracking.runs.map((r) => [r.model, r.runId]));
      registrations = await registerExperimentModels(
        { store: services.store, registry: services.registry, approvals: services.approvals, logger: services.logger },
        report,
        plan,
        runIds,
        registration,
      );
    } else if (tracking.status === "kept_locally") {
      registrations = registrableModels(report).map((m) => ({
        model: m.model,
        registeredModel: registration.model!,
        status: "queued" as const,
        message: "Registration waits in the tracking outbox with its run; `mlops runs sync` registers it.",
      }));
    }
  } else if (registration?.model && !services.mlflow) {
    registrations = [
      {
        model: "*",
        registeredModel: registration.model,
        status: "skipped",
        message: "No tracking server configured: nothing registered.",
      },
    ];
  }
  const stored: ExperimentReportWithOutcome = { ...report, tracking, registrations };
  await services.store.update(report.experimentId, { report: stored as unknown as Record<string, unknown> });
  return stored;
}
