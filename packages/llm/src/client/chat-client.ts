import { type Clock, type Logger, silentLogger, systemClock } from "@mlops/core";
import { chatCacheKey } from "../cache/cache-key";
import { type CachedCompletion, createMemoryResponseCache, type ResponseCache } from "../cache/response-cache";
import type { LlmCredentials } from "../endpoints/credentials";
import type { EndpointConfig } from "../endpoints/endpoint-config";
import { type ResolvedEndpoint, resolveEndpointConfig } from "../endpoints/endpoint-registry";
import { LlmError } from "../errors/llm-error";
import { redactMessages } from "../guardrail/redact-messages";
import type { GuardrailOptions } from "../guardrail/redact-pii";
import {
  type AdaptiveConcurrency,
  createAdaptiveConcurrency,
  type PermitOutcome,
} from "../rate-limit/adaptive-concurrency";
import { createMemoryRateLimiter } from "../rate-limit/memory-rate-limiter";
import type { RateLimiter } from "../rate-limit/rate-limiter";
import { sleep } from "../util/sleep";
import { chatCompletionResponseSchema, completionText, errorMessageFromBody } from "./chat-response-schema";
import type { ChatAttempt, ChatMessage, ChatRequest, ChatResult, TokenUsage } from "./chat-types";
import {
  backoffDelay,
  isRetryableStatus,
  parseRetryAfter,
  type RetryOptions,
  resolveRetryOptions,
  retryAfterJitter,
} from "./retry-policy";
import { type SendOutcome, sendRequest } from "./send-request";
import { costUsd, estimatePromptTokens, estimateTokens } from "./usage-and-cost";

export interface ChatClientOptions {
  /** A resolved endpoint (from `resolveEndpoint`), or a config resolved here with `credentials`. */
  endpoint: EndpointConfig | ResolvedEndpoint;
  credentials?: LlmCredentials;
  /** Shared limits; pass the Redis limiter when several workers call one endpoint. @defaultValue an in-memory limiter */
  rateLimiter?: RateLimiter;
  /** `false` turns caching off. @defaultValue an in-memory cache */
  cache?: ResponseCache | false;
  /** Share one per endpoint per process when several clients call the same endpoint. @defaultValue AIMD up to maxConcurrency */
  concurrency?: AdaptiveConcurrency;
  retry?: RetryOptions;
  /** PII redaction before `external` track endpoints. @defaultValue on, every kind */
  guardrail?: GuardrailOptions & {
    /** Redact before `internal` endpoints too. @defaultValue false */
    internalToo?: boolean;
  };
  logger?: Logger;
  clock?: Clock;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /** Jitter source. @defaultValue Math.random */
  random?: () => number;
}

/** Calls one OpenAI-compatible chat-completions endpoint with limits, retries, cache, guardrail and cost. */
export interface ChatClient {
  readonly endpoint: ResolvedEndpoint;
  readonly concurrency: AdaptiveConcurrency;
  complete(request: ChatRequest): Promise<ChatResult>;
}

/** What a successful attempt contributes; the rest of a `ChatResult` is filled in by `complete`. */
type Completion = Pick<ChatResult, "text" | "usage" | "costUsd" | "cached" | "model" | "id" | "finishReason">;

type AttemptVerdict =
  | { done: true; result: Completion }
  | { done: false; retryable: boolean; retryAfterMs?: number; error: LlmError };

/**
 * A chat client for one endpoint.
 * @example
 * const client = createChatClient({ endpoint: resolveEndpoint("llama", registry), rateLimiter, cache });
 * const { text, costUsd } = await client.complete({ messages: [{ role: "user", content: "Classify: …" }] });
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const endpoint =
    "apiKeyValue" in options.endpoint && "baseUrl" in options.endpoint && options.endpoint.baseUrl
      ? (options.endpoint as ResolvedEndpoint)
      : resolveEndpointConfig(options.endpoint, options.credentials ?? {});
  const clock = options.clock ?? systemClock;
  const logger = (options.logger ?? silentLogger()).child({ endpoint: endpoint.name });
  const cache = options.cache === false ? undefined : (options.cache ?? createMemoryResponseCache());
  const rateLimiter = options.rateLimiter ?? createMemoryRateLimiter({ clock });
  const concurrency = options.concurrency ?? createAdaptiveConcurrency({ max: endpoint.maxConcurrency });
  const retry = resolveRetryOptions(options.retry);
  const doFetch = options.fetch ?? globalThis.fetch;
  const random = options.random ?? Math.random;
  const guardrail = options.guardrail ?? {};
  const guarded = guardrail.enabled !== false && (endpoint.track === "external" || guardrail.internalToo === true);
  const url = `${endpoint.baseUrl}/chat/completions`;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (endpoint.apiKeyValue) headers.authorization = `Bearer ${endpoint.apiKeyValue}`;
  const now = () => clock.now().getTime();

  async function complete(request: ChatRequest): Promise<ChatResult> {
    const started = now();
    const { messages, counts: redactions } = redactMessages(request.messages, { ...guardrail, enabled: guarded });
    const parameters = {
      temperature: request.temperature,
      maxTokens: request.maxTokens,
      responseFormat: request.responseFormat,
    };
    const cacheKey = chatCacheKey({ endpoint: endpoint.name, model: endpoint.model, messages, parameters });
    const useCache = cache !== undefined && request.cache !== false;
    const base = { cacheKey, endpoint: endpoint.name, redactions };

    if (useCache) {
      const hit = await cache.get(cacheKey).catch((error: unknown) => {
        logger.warn({ err: error }, "response cache read failed; calling the endpoint");
        return undefined;
      });
      if (hit) return { ...base, ...fromCache(hit), latencyMs: now() - started };
    }

    const body = JSON.stringify({
      model: endpoint.model,
      messages,
      temperature: request.temperature,
      max_tokens: request.maxTokens,
      response_format: request.responseFormat,
    });
    const tokens = estimatePromptTokens(messages) + (request.maxTokens ?? 256);
    const attempts: ChatAttempt[] = [];

    for (let n = 1; ; n++) {
      const queuedFrom = now();
      const permit = await concurrency.acquire(request.signal);
      let outcome: PermitOutcome = "failure";
      let verdict: AttemptVerdict;
      let attempt: ChatAttempt;
      try {
        if (endpoint.rateLimit) {
          await rateLimiter.acquire({ key: endpoint.name, limit: endpoint.rateLimit, tokens, signal: request.signal });
        }
        const sentAt = now();
        const sent = await sendRequest({
          url,
          headers,
          body,
          timeoutMs: endpoint.timeoutMs,
          signal: request.signal,
          fetch: doFetch,
        });
        attempt = {
          attempt: n,
          status: sent.kind === "response" ? sent.status : sent.kind,
          queuedMs: sentAt - queuedFrom,
          durationMs: now() - sentAt,
        };
        attempts.push(attempt);
        verdict = judge(sent, attempt, messages);
        if (verdict.done) outcome = "success";
        else if (attempt.status === 429) outcome = "rate-limited";
      } finally {
        permit.release(outcome);
      }

      if (verdict.done) {
        const result: ChatResult = { ...verdict.result, ...base, attempts, latencyMs: now() - started };
        if (useCache) await writeCache(cacheKey, result);
        return result;
      }
      attempt.error = verdict.error.message;
      const retryAfter = verdict.retryAfterMs;
      if (!verdict.retryable || n >= retry.maxAttempts || (retryAfter ?? 0) > retry.maxRetryAfterMs) {
        throw withAttempts(verdict.error, attempts);
      }
      // Retry-After is a floor; the jitter on top keeps every refused caller from returning at the same instant.
      const backoff =
        retryAfter === undefined ? backoffDelay(n, retry, random) : retryAfter + retryAfterJitter(n, retry, random);
      attempt.backoffMs = backoff;
      logger.warn({ attempt: n, status: attempt.status, backoffMs: backoff }, "LLM request failed; retrying");
      await sleep(backoff, request.signal);
    }
  }

  function judge(sent: SendOutcome, attempt: ChatAttempt, messages: ChatMessage[]): AttemptVerdict {
    if (sent.kind === "timeout") {
      return {
        done: false,
        retryable: true,
        error: new LlmError("LLM_TIMEOUT", `${endpoint.name} did not answer within ${endpoint.timeoutMs} ms (${url})`, {
          hint: "Raise `timeoutMs` of the endpoint, lower maxTokens, or check the endpoint's health.",
          context: { endpoint: endpoint.name, url, timeoutMs: endpoint.timeoutMs },
        }),
      };
    }
    if (sent.kind === "network-error") {
      return {
        done: false,
        retryable: true,
        error: new LlmError(
          "LLM_ENDPOINT_UNAVAILABLE",
          `${endpoint.name} is unreachable at ${url}: ${sent.code ?? sent.message}`,
          {
            hint: "Check that the endpoint is running and the base URL is right (`mlops doctor`).",
            context: { endpoint: endpoint.name, url, code: sent.code, reason: sent.message },
          },
        ),
      };
    }
    const retryAfterMs = parseRetryAfter(sent.headers, clock.now());
    if (retryAfterMs !== undefined) attempt.retryAfterMs = retryAfterMs;
    if (sent.status >= 200 && sent.status < 300) return parseSuccess(sent.body, messages);
    const detail = errorMessageFromBody(sent.body) ?? `HTTP ${sent.status}`;
    const context = { endpoint: endpoint.name, url, status: sent.status, detail };
    if (sent.status === 429) {
      return {
        done: false,
        retryable: true,
        retryAfterMs,
        error: new LlmError("LLM_RATE_LIMITED", `${endpoint.name} is rate limiting requests (429): ${detail}`, {
          hint: "Lower `rateLimit` or `maxConcurrency` of the endpoint, or raise the provider's quota.",
          context: { ...context, retryAfterMs },
        }),
      };
    }
    if (isRetryableStatus(sent.status)) {
      return {
        done: false,
        retryable: true,
        retryAfterMs,
        error: new LlmError(
          "LLM_ENDPOINT_UNAVAILABLE",
          `${endpoint.name} failed with HTTP ${sent.status} at ${url}: ${detail}`,
          { hint: "The endpoint is failing; check its health or try again later.", context },
        ),
      };
    }
    return {
      done: false,
      retryable: false,
      error: new LlmError(
        "LLM_REQUEST_REJECTED",
        `${endpoint.name} rejected the request (HTTP ${sent.status}): ${detail}`,
        {
          hint: rejectionHint(sent.status, endpoint),
          context,
        },
      ),
    };
  }

  function parseSuccess(body: string, messages: ChatMessage[]): AttemptVerdict {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return badResponse("the body is not JSON", body);
    }
    const parsed = chatCompletionResponseSchema.safeParse(json);
    if (!parsed.success)
      return badResponse(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), body);
    const response = parsed.data;
    const text = completionText(response);
    const reported = response.usage;
    const estimated = reported?.prompt_tokens === undefined || reported?.completion_tokens === undefined;
    const promptTokens = reported?.prompt_tokens ?? estimatePromptTokens(messages);
    const completionTokens = reported?.completion_tokens ?? estimateTokens(text);
    const usage: TokenUsage = {
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      estimated,
    };
    const finishReason = response.choices[0]?.finish_reason ?? undefined;
    return {
      done: true,
      result: {
        text,
        usage,
        costUsd: costUsd(endpoint.pricePerMillion, usage),
        cached: false,
        model: response.model ?? endpoint.model,
        ...(response.id ? { id: response.id } : {}),
        ...(finishReason ? { finishReason } : {}),
      },
    };
  }

  function badResponse(problem: string, body: string): AttemptVerdict {
    return {
      done: false,
      retryable: false,
      error: new LlmError(
        "LLM_BAD_RESPONSE",
        `${endpoint.name} returned a response that is not a chat completion: ${problem}`,
        {
          hint: "Check that the base URL points at an OpenAI-compatible API (…/v1 or …/serving-endpoints).",
          context: { endpoint: endpoint.name, url, body: body.slice(0, 500) },
        },
      ),
    };
  }

  async function writeCache(key: string, result: ChatResult): Promise<void> {
    const value: CachedCompletion = {
      text: result.text,
      usage: {
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        estimated: result.usage.estimated,
      },
      model: result.model,
      createdAt: clock.now().toISOString(),
      ...(result.id ? { id: result.id } : {}),
      ...(result.finishReason ? { finishReason: result.finishReason } : {}),
    };
    await cache?.set(key, value).catch((error: unknown) => logger.warn({ err: error }, "response cache write failed"));
  }

  return { endpoint, concurrency, complete };
}

function fromCache(hit: CachedCompletion): Omit<ChatResult, "cacheKey" | "endpoint" | "redactions" | "latencyMs"> {
  const { promptTokens, completionTokens, estimated } = hit.usage;
  return {
    text: hit.text,
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated },
    costUsd: 0,
    attempts: [],
    cached: true,
    model: hit.model,
    ...(hit.id ? { id: hit.id } : {}),
    ...(hit.finishReason ? { finishReason: hit.finishReason } : {}),
  };
}

function withAttempts(error: LlmError, attempts: ChatAttempt[]): LlmError {
  const message = attempts.length > 1 ? `${error.message} (gave up after ${attempts.length} attempts)` : error.message;
  return new LlmError(error.code, message, {
    hint: error.hint,
    context: { ...error.context, attempts },
  });
}

function rejectionHint(status: number, endpoint: ResolvedEndpoint): string {
  if (status === 401 || status === 403) {
    return `Check the credential of ${endpoint.name} (apiKey: ${typeof endpoint.apiKey === "string" ? endpoint.apiKey : JSON.stringify(endpoint.apiKey)}) and its permissions.`;
  }
  if (status === 404) return `Check the base URL (${endpoint.baseUrl}) and the model name "${endpoint.model}".`;
  return "The request was refused as sent; check the messages and parameters (maxTokens, responseFormat).";
}
