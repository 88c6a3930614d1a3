import type { z } from "zod";
import { MlflowError } from "../errors/mlflow-error";
import { responses } from "../wire/responses";

export interface RetryOptions {
  /** Tries in all, the first included. @defaultValue 4 */
  attempts?: number;
  /** Delay before the first retry; doubles each time, with jitter. @defaultValue 250 */
  baseDelayMs?: number;
  /** Upper bound for one delay, `Retry-After` included. @defaultValue 4000 */
  maxDelayMs?: number;
}

export interface TransportOptions {
  baseUrl: string;
  token?: string | undefined;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** Per-request timeout. @defaultValue 60000 */
  timeoutMs?: number;
}

export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface RequestSpec {
  method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT";
  /** Path under the base URL, starting with `/api/2.0/`. */
  path: string;
  query?: Record<string, QueryValue>;
  json?: unknown;
  body?: Uint8Array | string;
  contentType?: string;
}

export interface Transport {
  readonly baseUrl: string;
  /** Sends a request and validates the JSON answer with `schema`. */
  json<S extends z.ZodType>(spec: RequestSpec, schema: S): Promise<z.output<S>>;
  /** Sends a request and returns the answer's bytes. */
  bytes(spec: RequestSpec): Promise<Uint8Array>;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function buildUrl(baseUrl: string, spec: RequestSpec): string {
  const url = new URL(baseUrl + spec.path);
  for (const [key, value] of Object.entries(spec.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, item);
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

async function errorFrom(response: Response, method: string, url: string): Promise<MlflowError> {
  const text = await response.text().catch(() => "");
  const context = { method, url, status: response.status };
  let parsed: { error_code: string; message: string } | undefined;
  try {
    const result = responses.error.safeParse(JSON.parse(text));
    if (result.success) parsed = result.data;
  } catch {
    // not JSON: an HTML error page, a proxy's answer
  }
  const auth = response.status === 401 || response.status === 403;
  const hint = auth
    ? "Check the MLflow token (MLFLOW_TRACKING_TOKEN or DATABRICKS_TOKEN) and its permissions."
    : undefined;
  if (parsed) return new MlflowError(parsed.error_code, parsed.message, { status: response.status, context, hint });
  return new MlflowError(
    "MLFLOW_HTTP_ERROR",
    `MLflow answered ${response.status} ${response.statusText} for ${method} ${url}: ${text.slice(0, 300)}`,
    { status: response.status, context, hint: hint ?? "Check that the tracking URI points at an MLflow server." },
  );
}

/** HTTP to MLflow with bearer auth, timeouts, and a few short retries on 429, 5xx and connection errors. */
export function createTransport(options: TransportOptions): Transport {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const attempts = Math.max(1, options.retry?.attempts ?? 4);
  const baseDelay = options.retry?.baseDelayMs ?? 250;
  const maxDelay = options.retry?.maxDelayMs ?? 4000;
  const timeoutMs = options.timeoutMs ?? 60_000;

  function delayFor(attempt: number, response?: Response): number {
    const retryAfter = Number(response?.headers.get("retry-after"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.min(retryAfter * 1000, maxDelay);
    const exponential = baseDelay * 2 ** (attempt - 1);
    return Math.min(exponential / 2 + Math.random() * (exponential / 2), maxDelay);
  }

  async function send(spec: RequestSpec): Promise<Response> {
    const url = buildUrl(baseUrl, spec);
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Uint8Array | undefined;
    if (spec.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(spec.json);
    } else if (spec.body !== undefined) {
      headers["content-type"] = spec.contentType ?? "application/octet-stream";
      body = spec.body;
    }
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: spec.method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (cause) {
        if (attempt < attempts) {
          await sleep(delayFor(attempt));
          continue;
        }
        const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
        throw new MlflowError("MLFLOW_UNREACHABLE", `Cannot reach MLflow at ${baseUrl} (${reason}).`, {
          hint: "Check MLFLOW_TRACKING_URI and that the server is running (mlops up starts the built-in one).",
          context: { url, method: spec.method, attempts: attempt },
          cause,
        });
      }
      if (response.ok) return response;
      if (RETRY_STATUSES.has(response.status) && attempt < attempts) {
        const retryable = response.status !== 500 || !(await hasMlflowErrorBody(response.clone()));
        if (retryable) {
          await response.body?.cancel().catch(() => {});
          await sleep(delayFor(attempt, response));
          continue;
        }
      }
      throw await errorFrom(response, spec.method, url);
    }
  }

  return {
    baseUrl,
    async json(spec, schema) {
      const response = await send(spec);
      const text = await response.text();
      let value: unknown;
      try {
        value = text ? JSON.parse(text) : {};
      } catch (cause) {
        throw new MlflowError("MLFLOW_BAD_RESPONSE", `MLflow answered ${spec.path} with a body that is not JSON.`, {
          context: { path: spec.path, body: text.slice(0, 300) },
          cause,
        });
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        throw new MlflowError(
          "MLFLOW_BAD_RESPONSE",
          `Unexpected MLflow response for ${spec.path}: ${parsed.error.message}`,
          {
            context: { path: spec.path, body: text.slice(0, 300) },
          },
        );
      }
      return parsed.data;
    },
    async bytes(spec) {
      const response = await send(spec);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** A 500 that carries MLflow's error body is an answer (e.g. a missing artifact), not a hiccup worth retrying. */
async function hasMlflowErrorBody(response: Response): Promise<boolean> {
  try {
    return responses.error.safeParse(await response.json()).success;
  } catch {
    return false;
  }
}
