import { type AliasEvent, listAliasHistory } from "./alias-history";
import { compareForPromotion } from "./compare-for-promotion";
import { deleteModelVersion } from "./delete-model-version";
import type { GuardedChangeOptions } from "./guarded-change";
import { loadModelSpec } from "./load-model-spec";
import {
  attachApproval,
  getPendingRegistration,
  listPendingRegistrations,
  type PendingQuery,
} from "./pending-registrations";
import { promoteChallenger, rollbackChampion } from "./promote-challenger";
import { planPromotion, planRollback } from "./promotion-plan";
import { type RunResult, recordRun } from "./record-run";
import { registerApproved } from "./register-approved";
import { type RegisterVersionInput, registerModelVersion } from "./register-model-version";
import type { RegistryDeps } from "./registry-deps";
import { getRegistryStatus } from "./registry-status";
import { listTrackingOutbox, syncTrackingOutbox } from "./sync-tracking-outbox";
import { compareRuns, listRuns, type RunQuery, showRun } from "./tracked-runs";

/**
 * The champion/challenger lifecycle over one tracking server and app database, as the CLI, API, agent and worker
 * use it. Each method is also exported as a function taking `RegistryDeps`.
 *
 * @example
 * const registry = createModelRegistry({ mlflow, db: database.db, criteria: parseCriteria(config.sections.criteria) });
 * const outcome = await registry.register({ model: "news-classifier", runId, metrics, spec });
 * const { spec } = await registry.loadModelSpec("models:/news-classifier@champion");
 */
export function createModelRegistry(deps: RegistryDeps) {
  return {
    deps,
    register: (input: RegisterVersionInput) => registerModelVersion(deps, input),
    /** Registrations waiting for approval (`requireApproval`), with their approval ids and states. */
    pending: (query?: PendingQuery) => listPendingRegistrations(deps.db, query, deps.clock),
    /** One pending registration, by its id or its approval's id. */
    pendingRegistration: (ref: string) => getPendingRegistration(deps.db, ref, deps.clock),
    attachApproval: (pendingId: string, approvalId: string) =>
      attachApproval(deps.db, pendingId, approvalId, deps.clock),
    /** Registers a pending registration once its `registry.register` action is approved (the guard consumes it). */
    registerApproved: (ref: string, options: GuardedChangeOptions) => registerApproved(deps, ref, options),
    recordRun: (result: RunResult, options?: { resultId?: string }) => recordRun(deps, result, options),
    status: (model: string) => getRegistryStatus(deps, model),
    compareForPromotion: (model: string) => compareForPromotion(deps, model),
    planPromotion: (model: string) => planPromotion(deps, model),
    planRollback: (model: string) => planRollback(deps, model),
    promote: (model: string, options: GuardedChangeOptions) => promoteChallenger(deps, model, options),
    rollback: (model: string, options: GuardedChangeOptions) => rollbackChampion(deps, model, options),
    deleteVersion: (model: string, version: string, options: GuardedChangeOptions) =>
      deleteModelVersion(deps, model, version, options),
    history: (model: string, options?: { alias?: string; limit?: number }): Promise<AliasEvent[]> =>
      listAliasHistory(deps.db, model, options),
    loadModelSpec: (uri: string) => loadModelSpec(deps, uri),
    listRuns: (query?: RunQuery) => listRuns(deps, query),
    showRun: (runId: string) => showRun(deps, runId),
    compareRuns: (query: RunQuery & { runIds?: string[] }) => compareRuns(deps, query),
    outbox: () => listTrackingOutbox(deps),
    syncOutbox: () => syncTrackingOutbox(deps),
  };
}

export type ModelRegistry = ReturnType<typeof createModelRegistry>;
