import { createLogAlertSink, createMonitorStore, recordExpectationResults, runMonitor } from "@mlops/monitors";
import { UnrecoverableError } from "bullmq";
import type { JobHandler, JobServices } from "../job-handler";
import type { MonitorJobServices } from "./monitor-services";

function monitorServices(services: JobServices): MonitorJobServices {
  if (!services.monitors) {
    throw new UnrecoverableError("no lakehouse configured for monitor jobs (JobServices.monitors is missing)");
  }
  return services.monitors;
}

export const processMonitorRun: JobHandler<"monitor.run"> = async ({ payload, services, logger }) => {
  const monitoring = monitorServices(services);
  const store = createMonitorStore(services.db);
  const { spec } = await store.get(payload.monitor);
  const result = await runMonitor(
    spec,
    {
      lakehouse: await monitoring.lakehouse(),
      store,
      alerts: monitoring.alerts ?? createLogAlertSink(logger),
      ...(monitoring.requestBreachAction ? { requestBreachAction: monitoring.requestBreachAction } : {}),
      logger,
    },
    { trigger: payload.trigger },
  );
  return {
    runId: result.runId,
    status: result.status,
    breaches: result.breaches.length,
    action: result.alert?.action ?? null,
  };
};

export const processMonitorBreachAction: JobHandler<"monitor.breach-action"> = async ({
  payload,
  services,
  logger,
}) => {
  const retrain = services.monitors?.retrain;
  if (!retrain) {
    throw new UnrecoverableError(
      `no retrain service configured: cannot ${payload.kind} ${payload.model} after monitor ${payload.monitor} breached`,
    );
  }
  logger.info({ model: payload.model, kind: payload.kind, runId: payload.runId }, "breach action starting");
  const outcome = payload.kind === "retrain" ? await retrain.retrain(payload) : await retrain.reevaluate(payload);
  return { kind: payload.kind, outcome };
};

export const processMonitorExpectations: JobHandler<"monitor.expectations"> = async ({ payload, services }) => {
  const lakehouse = await monitorServices(services).lakehouse();
  return recordExpectationResults(lakehouse, {
    pipeline: payload.pipeline,
    table: payload.table,
    ...(payload.runId ? { runId: payload.runId } : {}),
    results: payload.results.map((r) => ({
      name: r.name,
      action: r.action,
      passed: r.passed,
      rows: r.rows,
      failedRows: r.failedRows,
      ...(r.column ? { column: r.column } : {}),
      ...(r.details ? { details: r.details } : {}),
    })),
  });
};
