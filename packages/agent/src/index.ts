export { AgentError, type AgentErrorCode, isAgentError } from "./agent-error";
export {
  type ArchitectAgent,
  type ArchitectAgentOptions,
  createArchitectAgent,
  type SendOptions,
  type ThreadInfo,
  threadOfApprovalReason,
} from "./chat/architect-agent";
export type { ApprovalInterrupt, ChatEvent, PendingApproval, PlanStepView, StepStatus } from "./chat/chat-events";
export { type ChatReply, collect, handleChatMessage } from "./chat/handle-chat-message";
export { type Checkpointer, type CheckpointerOptions, createCheckpointer } from "./checkpointer/create-checkpointer";
export { createExecutorPool, type PoolClientLike, type PoolLike } from "./checkpointer/executor-pool";
export { type ArchitectGraph, type ArchitectGraphOptions, createArchitectGraph } from "./graph/create-architect-graph";
export {
  type ResumeDecision,
  type ResumeDecisionInput,
  resumeDecisionSchema,
} from "./graph/nodes/await-approval/resume-decision";
export { AGENT_REQUESTER } from "./graph/nodes/request-approvals/request-approvals-node";
export {
  type OpenArchitectAgentOptions,
  type OpenedArchitectAgent,
  openArchitectAgent,
} from "./open-architect-agent";
export { type Plan, type PlanStep, planDigest, type ToolEffect } from "./plan/plan";
export { type PlanPreview, previewPlan } from "./plan/preview-plan";
export { DATA_RULE, wrapData } from "./plan/wrap-data";
export { createChatModelPlanner } from "./planner/chat-model-planner";
export { COMMAND_GRAMMAR, grammarHelp, parseCommand } from "./planner/command-grammar";
export { createCommandPlanner, OFFLINE_PLANNER_NAME } from "./planner/command-planner";
export type { PlanInput, Planner } from "./planner/planner";
export { createPlannerModel, hasPlannerEndpoint, PLANNER_ENDPOINT, resolvePlanner } from "./planner/resolve-planner";
export type {
  ArchitectTool,
  GatedContext,
  GatedTool,
  JobTool,
  Proposal,
  ReadTool,
  ToolOutcome,
} from "./tools/architect-tool";
export { renderComparison } from "./tools/compare-models";
export { createToolbox, type LakehouseProvider, type Toolbox, type ToolServices } from "./tools/toolbox";
