import type { Lakehouse } from "@mlops/lakehouse";
import type { AlertSink, BreachActionRequest, RequestBreachAction } from "@mlops/monitors";
import type { JobPayload } from "@mlops/queue";

/** What the retrain service is asked: the `monitor.breach-action` payload. */
export type RetrainRequest = JobPayload<"monitor.breach-action">;

/** Retrains or re-evaluates a model after a breach: the registry's service, wired by the app. */
export interface RetrainService {
  retrain(request: RetrainRequest): Promise<Record<string, unknown>>;
  reevaluate(request: RetrainRequest): Promise<Record<string, unknown>>;
}

/** What monitor jobs need beyond the database. */
export interface MonitorJobServices {
  /** The configured lakehouse, opened on first use (as the stack hands it out). */
  lakehouse: () => Promise<Lakehouse>;
  /** Where breaches are posted (Slack in production). @defaultValue the job's log */
  alerts?: AlertSink;
  /** Enqueues `monitor.breach-action`; see {@link breachActionEnqueuer}. */
  requestBreachAction?: RequestBreachAction;
  /** Absent: breach-action jobs fail with "no retrain service configured". */
  retrain?: RetrainService;
}

/** A {@link RequestBreachAction} that puts a `monitor.breach-action` job on its queue (the app passes its producer). */
export function breachActionEnqueuer(producer: {
  enqueue(
    name: "monitor.breach-action",
    payload: BreachActionRequest,
    options: { requestedBy: string; jobId?: string },
  ): Promise<{ id: string }>;
}): RequestBreachAction {
  return async (request) => {
    const record = await producer.enqueue("monitor.breach-action", request, {
      requestedBy: `monitor:${request.monitor}`,
      // one breach action per monitor run, however often the run is retried
      jobId: `breach_${request.runId}`,
    });
    return { jobId: record.id };
  };
}
