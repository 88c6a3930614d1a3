/** What one HTTP attempt produced. */
export type SendOutcome =
  | { kind: "response"; status: number; headers: Headers; body: string }
  | { kind: "timeout" }
  | { kind: "network-error"; code: string | undefined; message: string };

export interface SendRequestOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The caller's cancellation; its abort is rethrown as is, unlike a timeout. */
  signal?: AbortSignal;
  fetch: typeof fetch;
}

/** POSTs once, reading the whole body under the timeout; never throws for HTTP or network failures. */
export async function sendRequest(options: SendRequestOptions): Promise<SendOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("timeout")), options.timeoutMs);
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const response = await options.fetch(options.url, {
      method: "POST",
      headers: options.headers,
      body: options.body,
      signal: controller.signal,
    });
    const body = await response.text();
    return { kind: "response", status: response.status, headers: response.headers, body };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (controller.signal.aborted) return { kind: "timeout" };
    return { kind: "network-error", code: errorCode(error), message: describe(error) };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === "string") return cause.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
