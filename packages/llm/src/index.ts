export { type CacheKeyParts, canonicalJson, chatCacheKey } from "./cache/cache-key";
export { createRedisResponseCache, type RedisResponseCacheOptions } from "./cache/redis-response-cache";
export { type CachedCompletion, createMemoryResponseCache, type ResponseCache } from "./cache/response-cache";
export { type ChatClient, type ChatClientOptions, createChatClient } from "./client/chat-client";
export type {
  ChatAttempt,
  ChatMessage,
  ChatRequest,
  ChatResult,
  ResponseFormat,
  TokenUsage,
} from "./client/chat-types";
export { backoffDelay, parseRetryAfter, type RetryOptions } from "./client/retry-policy";
export { costUsd, estimatePromptTokens, estimateTokens } from "./client/usage-and-cost";
export { BUILT_IN_ALIASES, BUILT_IN_ENDPOINTS } from "./endpoints/built-in-endpoints";
export { databricksServingUrl, type LlmCredentials, resolveApiKey } from "./endpoints/credentials";
export {
  type ApiKeyRef,
  apiKeyRefSchema,
  type EndpointConfig,
  type EndpointConfigInput,
  type EndpointsSection,
  endpointConfigSchema,
  endpointsSectionSchema,
  type RateLimit,
  rateLimitSchema,
} from "./endpoints/endpoint-config";
export {
  type CreateEndpointRegistryOptions,
  createEndpointRegistry,
  type EndpointRegistry,
  type EndpointStatus,
  type ResolvedEndpoint,
  resolveEndpoint,
  resolveEndpointConfig,
} from "./endpoints/endpoint-registry";
export { isLlmError, LlmError, type LlmErrorCode } from "./errors/llm-error";
export { redactMessages } from "./guardrail/redact-messages";
export {
  type GuardrailOptions,
  PII_KINDS,
  type PiiKind,
  passesLuhn,
  type RedactionCounts,
  type RedactionResult,
  redactPii,
} from "./guardrail/redact-pii";
export * from "./local";
export {
  type AdaptiveConcurrency,
  type AdaptiveConcurrencyOptions,
  type ConcurrencyPermit,
  createAdaptiveConcurrency,
  type PermitOutcome,
} from "./rate-limit/adaptive-concurrency";
export { createMemoryRateLimiter } from "./rate-limit/memory-rate-limiter";
export type { AcquireOptions, RateDecision, RateLimiter } from "./rate-limit/rate-limiter";
export { createRedisRateLimiter, type RedisRateLimiterOptions } from "./rate-limit/redis-rate-limiter";
