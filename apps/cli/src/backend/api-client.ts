import { MlopsError } from "@mlops/core";

/** A small typed client of the HTTP API, for when a stack is running. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    /** Bearer token: MLOPS_API_TOKEN or the local user's token (see `apiClientFor`). */
    private readonly token?: string,
  ) {}

  /** True when an MLOps API answers at the base URL. */
  async isUp(timeoutMs = 800): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) return false;
      const body = (await response.json()) as { service?: string };
      return body.service === "mlops-api";
    } catch {
      return false;
    }
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (cause) {
      throw new MlopsError("API_UNREACHABLE", `Cannot reach the API at ${this.baseUrl}.`, {
        hint: "Start it with `mlops up`, or set MLOPS_API_URL.",
        cause,
      });
    }
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : {};
    if (!response.ok && response.status !== 503) {
      const error = (parsed as { error?: { code?: string; message?: string; hint?: string } }).error;
      throw new MlopsError(
        error?.code ?? "API_ERROR",
        error?.message ?? `${method} ${path} answered ${response.status}`,
        {
          ...(error?.hint ? { hint: error.hint } : {}),
        },
      );
    }
    return parsed as T;
  }
}
