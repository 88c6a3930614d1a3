import type { Governance } from "../decision/recommend-model";
import type { ExperimentStore } from "../store/experiment-store";
import { type ExperimentReport, finalStatus, summarizeExperiment } from "./summarize-experiment";

/** Scores the experiment, stores its report and final status (completed, stopped, cancelled or failed). */
export async function finishExperiment(
  store: ExperimentStore,
  experimentId: string,
  options: { governance?: Partial<Governance> } = {},
): Promise<ExperimentReport> {
  const draft = await summarizeExperiment(store, experimentId, "completed", options);
  const status = finalStatus(draft.stopReason, draft.models);
  const report = { ...draft, status };
  for (const m of report.models) {
    if (m.status !== "failed") await store.setModelStatus(experimentId, m.model, "completed");
  }
  await store.finish(
    experimentId,
    status,
    report as unknown as Record<string, unknown>,
    status === "failed" ? "every model failed" : undefined,
  );
  return report;
}
