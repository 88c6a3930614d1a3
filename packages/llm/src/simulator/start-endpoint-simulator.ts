import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { createSeededRandom } from "./seeded-random";
import {
  DEFAULT_SIMULATOR_LABELS,
  type SimulatedLabel,
  type SimulatorLabels,
  simulatedAnswer,
  simulatedTruth,
} from "./simulated-labels";
import { createTokenBucket } from "./token-bucket";
import { createTruthStore, normaliseText } from "./truth-store";

/** The model id the simulator reports and answers as, unless the request names another. */
export const SIMULATED_MODEL_ID = "simulated-classifier";

export interface EndpointSimulatorOptions {
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue "127.0.0.1" */
  host?: string;
  /** Added to every answer (429s answer at once). @defaultValue 0 */
  latencyMs?: number;
  /** Extra random latency, uniform in [0, latencyJitterMs). @defaultValue 0 */
  latencyJitterMs?: number;
  /** Requests per second before 429s (token bucket, burst = rps). @defaultValue unlimited */
  rps?: number;
  /** Probability that each field of an answer is right. @defaultValue 0.9 */
  accuracy?: number;
  /** Probability of a 500 per accepted request. @defaultValue 0 */
  errorRate?: number;
  /** Label space of the answers. @defaultValue DEFAULT_SIMULATOR_LABELS */
  labels?: Partial<SimulatorLabels>;
  /** Truth by item text (same as `POST /sim/truth`). */
  truth?: Array<{ text: string; label: Partial<SimulatedLabel> }>;
  /** Decides which items are answered wrongly, and the error and jitter draws. @defaultValue 42 */
  seed?: number;
}

/** Counters since start. */
export interface EndpointSimulatorStats {
  requests: number;
  completed: number;
  /** 429 answers. */
  rateLimited: number;
  /** 500 answers. */
  serverErrors: number;
  badRequests: number;
  /** Completions whose item was found in the registered truth / answered against the hashed truth. */
  truthKnown: number;
  truthUnknown: number;
  /** Completions whose answer matched the truth, per field. */
  correct: { category: number; sentiment: number };
}

export interface EndpointSimulator {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `${url}/v1`: the OpenAI-compatible base URL to configure. */
  baseUrl: string;
  port: number;
  stats(): EndpointSimulatorStats;
  /** Registers truth by item text. */
  registerTruth(items: Array<{ text: string; label: Partial<SimulatedLabel> }>): void;
  close(): Promise<void>;
}

const chatRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z
    .array(z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(z.unknown()), z.null()]) }))
    .min(1),
  stream: z.boolean().optional(),
});

const truthRequestSchema = z.object({
  items: z.array(
    z.object({
      text: z.string().min(1),
      label: z.object({ category: z.string().optional(), sentiment: z.string().optional() }),
    }),
  ),
});

/**
 * An OpenAI-compatible chat-completions server that answers like a classifier of the given accuracy, for tests and
 * benchmarks only: every response carries `x-simulated: true` and its model list says it is simulated.
 *
 * Truth convention: the harness registers `{ text, label }` items (option `truth` or `POST /sim/truth`); a request is
 * about the registered item whose text one of its messages equals or contains. A prompt matching no registered
 * item is judged against `simulatedTruth(lastUserMessage)`, a deterministic hash of the text.
 *
 * Answers are the JSON `{"category": "...", "sentiment": "..."}` as the message content.
 */
export async function startEndpointSimulator(options: EndpointSimulatorOptions = {}): Promise<EndpointSimulator> {
  const accuracy = options.accuracy ?? 0.9;
  const errorRate = options.errorRate ?? 0;
  const seed = options.seed ?? 42;
  const latencyMs = options.latencyMs ?? 0;
  const jitterMs = options.latencyJitterMs ?? 0;
  if (accuracy < 0 || accuracy > 1) throw new RangeError(`accuracy must be within [0, 1], got ${accuracy}`);
  if (errorRate < 0 || errorRate > 1) throw new RangeError(`errorRate must be within [0, 1], got ${errorRate}`);
  const labels: SimulatorLabels = {
    category: options.labels?.category ?? DEFAULT_SIMULATOR_LABELS.category,
    sentiment: options.labels?.sentiment ?? DEFAULT_SIMULATOR_LABELS.sentiment,
  };
  const truth = createTruthStore();
  const bucket = options.rps ? createTokenBucket(options.rps) : undefined;
  const random = createSeededRandom(seed);
  const timers = new Set<NodeJS.Timeout>();
  let sequence = 0;
  const stats: EndpointSimulatorStats = {
    requests: 0,
    completed: 0,
    rateLimited: 0,
    serverErrors: 0,
    badRequests: 0,
    truthKnown: 0,
    truthUnknown: 0,
    correct: { category: 0, sentiment: 0 },
  };

  function registerTruth(items: Array<{ text: string; label: Partial<SimulatedLabel> }>) {
    truth.register(items);
    for (const { label } of items) {
      if (label.category && !labels.category.includes(label.category)) labels.category.push(label.category);
      if (label.sentiment && !labels.sentiment.includes(label.sentiment)) labels.sentiment.push(label.sentiment);
    }
  }
  labels.category = [...labels.category];
  labels.sentiment = [...labels.sentiment];
  if (options.truth) registerTruth(options.truth);

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json", "x-simulated": "true", ...headers });
    res.end(JSON.stringify(body));
  }

  function later(fn: () => void) {
    const delay = latencyMs + (jitterMs > 0 ? random() * jitterMs : 0);
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delay);
    timers.add(timer);
  }

  function complete(res: ServerResponse, raw: string) {
    stats.requests++;
    let parsed: z.infer<typeof chatRequestSchema>;
    try {
      const result = chatRequestSchema.safeParse(JSON.parse(raw));
      if (!result.success)
        throw new Error(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      parsed = result.data;
    } catch (error) {
      stats.badRequests++;
      return send(
        res,
        400,
        errorBody(`Invalid chat completion request: ${(error as Error).message}`, "invalid_request_error"),
      );
    }
    if (parsed.stream) {
      stats.badRequests++;
      return send(
        res,
        400,
        errorBody("The endpoint simulator does not stream; send stream: false.", "invalid_request_error"),
      );
    }
    if (bucket) {
      const taken = bucket.take(Date.now());
      if (!taken.ok) {
        stats.rateLimited++;
        return send(res, 429, errorBody("Simulated rate limit exceeded", "rate_limit_exceeded"), {
          "retry-after": String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))),
          "retry-after-ms": String(taken.retryAfterMs),
        });
      }
    }
    const failed = errorRate > 0 && random() < errorRate;
    const contents = parsed.messages.map((m) => contentText(m.content));
    const userContents = parsed.messages.filter((m) => m.role === "user").map((m) => contentText(m.content));
    later(() => {
      if (failed) {
        stats.serverErrors++;
        return send(res, 500, errorBody("Simulated internal server error", "server_error"));
      }
      const found = truth.find(contents);
      const itemText = found?.text ?? normaliseText(userContents.at(-1) ?? contents.at(-1) ?? "");
      const hashed = simulatedTruth(itemText, labels);
      const label: SimulatedLabel = { ...hashed, ...found?.label };
      if (found) stats.truthKnown++;
      else stats.truthUnknown++;
      const { answer, correct } = simulatedAnswer(itemText, label, { accuracy, seed, labels });
      if (correct.category) stats.correct.category++;
      if (correct.sentiment) stats.correct.sentiment++;
      const content = JSON.stringify(answer);
      const promptTokens = contents.reduce((sum, c) => sum + Math.ceil(c.length / 4) + 4, 2);
      const completionTokens = Math.ceil(content.length / 4);
      stats.completed++;
      sequence++;
      send(res, 200, {
        id: `chatcmpl-sim-${sequence}-${randomBytes(6).toString("hex")}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: parsed.model ?? SIMULATED_MODEL_ID,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop", logprobs: null }],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
        system_fingerprint: "simulated",
      });
    });
  }

  function route(req: IncomingMessage, res: ServerResponse, raw: string) {
    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "");
    if (req.method === "POST" && (path === "/v1/chat/completions" || path === "/chat/completions"))
      return complete(res, raw);
    if (req.method === "GET" && (path === "/v1/models" || path === "/models")) {
      return send(res, 200, {
        object: "list",
        data: [
          {
            id: SIMULATED_MODEL_ID,
            object: "model",
            created: 0,
            owned_by: "mlops-endpoint-simulator",
            simulated: true,
            description: "SIMULATED classifier for tests and benchmarks; not a real model",
          },
        ],
      });
    }
    if (req.method === "POST" && path === "/sim/truth") {
      try {
        const body = truthRequestSchema.parse(JSON.parse(raw));
        registerTruth(body.items);
        return send(res, 200, { registered: body.items.length, total: truth.size });
      } catch (error) {
        return send(res, 400, errorBody(`Invalid truth: ${(error as Error).message}`, "invalid_request_error"));
      }
    }
    if (req.method === "GET" && path === "/sim/stats") return send(res, 200, stats);
    return send(res, 404, errorBody(`No route ${req.method} ${path} on the endpoint simulator`, "not_found"));
  }

  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => route(req, res, raw));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    stats: () => structuredClone(stats),
    registerTruth,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function errorBody(message: string, type: string) {
  return { error: { message, type, code: type } };
}

function contentText(content: string | unknown[] | null): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .map((part) => (part && typeof part === "object" && "text" in part ? String((part as { text: unknown }).text) : ""))
    .join("");
}
