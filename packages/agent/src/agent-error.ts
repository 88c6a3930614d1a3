import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Stable codes of {@link AgentError}. */
export type AgentErrorCode =
  | "AGENT_THREAD_NOT_FOUND"
  | "AGENT_NOTHING_TO_RESUME"
  | "AGENT_AWAITING_DECISION"
  | "AGENT_PLANNER_UNAVAILABLE"
  | "AGENT_CHECKPOINT_FAILED"
  | "AGENT_INVALID_REQUEST";

/** The one error type of `@mlops/agent`; `code` is safe to match on. */
export class AgentError extends MlopsError {
  declare readonly code: AgentErrorCode;

  constructor(code: AgentErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
  }
}

export function isAgentError(value: unknown, code?: AgentErrorCode): value is AgentError {
  return value instanceof AgentError && (code === undefined || value.code === code);
}
