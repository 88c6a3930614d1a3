export {
  ACTION_KINDS,
  type ActionKind,
  type ActionSpec,
  actionDigest,
  actionSpecSchema,
  modelChangeSchema,
  parseActionSpec,
  type RegisterParameters,
  registerParametersSchema,
} from "./action-spec";
export {
  type ApprovalConfig,
  type ApprovalConfigInput,
  type ApprovalRule,
  approvalConfigSchema,
  approvalRuleSchema,
  parseApprovalConfig,
} from "./approval-config";
export { APPROVAL_ERROR_CODES, ApprovalError, type ApprovalErrorCode, isApprovalError } from "./approval-error";
export { type ApprovalPolicy, mayApprove, resolvePolicy } from "./approval-policy";
export {
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalState,
  type RiskSummary,
  riskSummarySchema,
} from "./approval-request";
export {
  type ApprovalNotifier,
  type ApprovalService,
  type ApprovalServiceOptions,
  createApprovalService,
  type DecideInput,
  type ListApprovalsOptions,
  type RequestApprovalInput,
  requestApprovalInputSchema,
} from "./approval-service";
export { type ApprovalAuditAction, type ApprovalAuditEvent, writeAuditEvent } from "./audit-log";
export { canonicalJson, sha256Digest } from "./canonical-json";
export { isIrreversible } from "./classify-action";
export {
  type ApprovalGuard,
  type ApprovedExecution,
  type ApprovedJobPayload,
  approvedJobPayloadSchema,
  createApprovalGuard,
  type ExecuteWithApprovalOptions,
  executeApprovedJob,
  executeWithApproval,
} from "./execute-with-approval";
