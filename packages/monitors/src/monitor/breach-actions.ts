import type { Logger } from "@mlops/core";
import type { JudgedValue, MonitorStatus } from "./thresholds";

/** What a breach tells people. */
export interface MonitorAlert {
  monitor: string;
  runId: string;
  status: Exclude<MonitorStatus, "ok">;
  table: string;
  /** The statistics that breached, worst first. */
  breaches: Pick<
    JudgedValue,
    "column" | "statistic" | "value" | "pValue" | "status" | "warnThreshold" | "alertThreshold"
  >[];
  /** What was done about it: `retrain`, `reevaluate` or `none`, and the job if one was enqueued. */
  action: { kind: "retrain" | "reevaluate" | "none"; jobId?: string; error?: string };
  text: string;
}

/** Where alerts go (Slack in production, wired by the app; the log or memory here). */
export interface AlertSink {
  post(alert: MonitorAlert): Promise<void>;
}

/** A retrain / re-evaluation request a breach makes; the job layer turns it into a queued job. */
export interface BreachActionRequest {
  monitor: string;
  runId: string;
  kind: "retrain" | "reevaluate";
  model: string;
  table: string;
  reason: string;
  breaches: MonitorAlert["breaches"];
}

/** Enqueues the retraining or re-evaluation job; returns its id. */
export type RequestBreachAction = (request: BreachActionRequest) => Promise<{ jobId: string }>;

/** Alerts as structured log lines at warn level. */
export function createLogAlertSink(logger: Logger): AlertSink {
  return {
    async post(alert) {
      logger.warn(
        { monitor: alert.monitor, runId: alert.runId, status: alert.status, breaches: alert.breaches },
        alert.text,
      );
    },
  };
}

/** Keeps alerts in memory: for tests and for the CLI to print what it would have posted. */
export function createMemoryAlertSink(): AlertSink & { alerts: MonitorAlert[] } {
  const alerts: MonitorAlert[] = [];
  return {
    alerts,
    async post(alert) {
      alerts.push(alert);
    },
  };
}
