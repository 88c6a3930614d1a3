export {
  type AliasEvent,
  type AliasEventInput,
  listAliasHistory,
  previousChampion,
  recordAliasEvents,
} from "./alias-history";
export { type BatchScorer, createBatchScorer } from "./batch-scorer";
export {
  type ComparedMetric,
  compareForPromotion,
  type PromotionComparison,
  type PromotionSide,
} from "./compare-for-promotion";
export { createModelRegistry, type ModelRegistry } from "./create-model-registry";
export { deleteModelVersion } from "./delete-model-version";
export {
  evaluateVersion,
  GATED_METRICS,
  type GatedMetric,
  type GateResult,
  isSameResult,
  type LifecycleRole,
  type VersionEvaluation,
  type VersionMetrics,
} from "./evaluate-version";
export type { GuardedChangeOptions } from "./guarded-change";
export { type LoadedModelSpec, loadModelSpec } from "./load-model-spec";
export { logModelSpec } from "./log-model-spec";
export {
  type EndpointModelSpec,
  endpointModelSpecSchema,
  type LocalModelSpec,
  localModelSpecSchema,
  MODEL_ARTIFACT_PATH,
  MODEL_SPEC_FILE,
  type ModelSpec,
  type ModelSpecInput,
  modelSpecSchema,
  parseModelSpec,
} from "./model-spec";
export { formatModelUri, type ModelUri, parseModelUri } from "./model-uri";
export {
  attachApproval,
  getPendingRegistration,
  listPendingRegistrations,
  type PendingApprovalState,
  type PendingQuery,
  type PendingRegistrationRecord,
  recordPendingRegistration,
} from "./pending-registrations";
export {
  DEFAULT_CRITERIA,
  type ProductionCriteria,
  type ProductionCriteriaInput,
  parseCriteria,
  productionCriteriaSchema,
} from "./production-criteria";
export { type AliasMoveResult, promoteChallenger, rollbackChampion } from "./promote-challenger";
export { type AliasMovePlan, planPromotion, planRollback } from "./promotion-plan";
export { RESULT_ID_TAG, type RecordedRun, type RunResult, recordRun, writeRunResult } from "./record-run";
export { type ApprovedRegistration, registerApproved } from "./register-approved";
export {
  type PendingRegistration,
  type RegisterVersionInput,
  type RegistrationOutcome,
  registerModelVersion,
} from "./register-model-version";
export {
  deleteVersionAction,
  promotionAction,
  type RegisterActionParameters,
  type RegisterActionSpec,
  type RegistryActionKind,
  type RegistryActionSpec,
  type RegistryApprovalAction,
  type RegistryApprovalGuard,
  type RegistryChangeKind,
  registerAction,
  registryActionDigest,
  rollbackAction,
  specDigest,
} from "./registry-action";
export type { RegistryDeps } from "./registry-deps";
export { isRegistryError, REGISTRY_ERROR_CODES, RegistryError, type RegistryErrorCode } from "./registry-error";
export { getRegistryStatus, type RegistryStatus, type VersionStatus } from "./registry-status";
export {
  listTrackingOutbox,
  type OutboxEntry,
  type OutboxSyncReport,
  syncTrackingOutbox,
} from "./sync-tracking-outbox";
export {
  compareRuns,
  listRuns,
  type RunComparison,
  type RunQuery,
  type RunSummary,
  showRun,
  summariseRun,
} from "./tracked-runs";
