import type { RedactionCounts } from "../guardrail/redact-pii";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** OpenAI `response_format`. */
export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean } };

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  maxTokens?: number;
  responseFormat?: ResponseFormat;
  /** Cancels waiting, retries and the request in flight; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Use the response cache for this call. @defaultValue true (when the client has a cache) */
  cache?: boolean;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when the endpoint reported no usage and the counts were estimated from text length. */
  estimated: boolean;
}

/** One HTTP attempt, as it happened. */
export interface ChatAttempt {
  /** 1-based. */
  attempt: number;
  /** HTTP status, or what happened instead of one. */
  status: number | "timeout" | "network-error";
  /** Time spent waiting for a concurrency slot and the rate limiter before sending. */
  queuedMs: number;
  /** From sending to the full response (or the failure). */
  durationMs: number;
  /** What the endpoint asked for with `Retry-After`, if anything. */
  retryAfterMs?: number;
  /** Pause before the next attempt (backoff with jitter, or Retry-After); absent on the last attempt. */
  backoffMs?: number;
  error?: string;
}

export interface ChatResult {
  text: string;
  usage: TokenUsage;
  /** USD at the endpoint's price; 0 for a cache hit. */
  costUsd: number;
  /** Wall time of the whole call: waiting, every attempt and backoff. */
  latencyMs: number;
  /** Every attempt made (empty for a cache hit). */
  attempts: ChatAttempt[];
  cached: boolean;
  cacheKey: string;
  endpoint: string;
  model: string;
  id?: string;
  finishReason?: string;
  /** What the guardrail removed from the prompt (all zero when it did not run). */
  redactions: RedactionCounts;
}
