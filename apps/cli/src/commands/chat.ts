import { userInfo } from "node:os";
import { createInterface } from "node:readline/promises";
import {
  type ApprovalInterrupt,
  type ChatEvent,
  openArchitectAgent,
  type PlanPreview,
  type ResumeDecisionInput,
  type ThreadInfo,
} from "@mlops/agent";
import { type AppConfig, apiBaseUrl, createLogger, MlopsError } from "@mlops/core";
import { createModelRegistry, parseCriteria } from "@mlops/registry";
import { openStack } from "@mlops/stack";
import type { Command } from "commander";
import pc from "picocolors";
import { ApiClient } from "../backend/api-client";
import { printJson, printLine, say } from "../output/print";

/** Where `mlops chat` and `mlops plan` talk to the architect: the running API, or an agent in this process. */
export interface ChatConnection {
  description: string;
  createThread(): Promise<string>;
  send(threadId: string, text: string): AsyncIterable<ChatEvent>;
  resume(threadId: string, decision: Omit<ResumeDecisionInput, "approver" | "channel">): AsyncIterable<ChatEvent>;
  plan(text: string): Promise<PlanPreview>;
  /** The thread's pending approval and last report. */
  getThread(threadId: string): Promise<ThreadInfo>;
  close(): Promise<void>;
}

/** Parses a server-sent event stream into chat events as they arrive. */
async function* readEvents(response: Response): AsyncGenerator<ChatEvent> {
  if (!response.ok || !response.body) {
    const body = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string; hint?: string };
    };
    throw new MlopsError(
      body.error?.code ?? "API_ERROR",
      body.error?.message ?? `the API answered ${response.status}`,
      {
        ...(body.error?.hint ? { hint: body.error.hint } : {}),
      },
    );
  }
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data) yield JSON.parse(data) as ChatEvent;
      end = buffer.indexOf("\n\n");
    }
  }
}

function remoteConnection(baseUrl: string, user: string, token: string | undefined): ChatConnection {
  const headers = {
    "content-type": "application/json",
    "x-mlops-user": user,
    "x-mlops-channel": "cli",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  const json = async <T>(response: Response): Promise<T> => {
    const body = (await response.json()) as T & { error?: { code: string; message: string; hint?: string } };
    if (!response.ok) {
      throw new MlopsError(
        body.error?.code ?? "API_ERROR",
        body.error?.message ?? `the API answered ${response.status}`,
        {
          ...(body.error?.hint ? { hint: body.error.hint } : {}),
        },
      );
    }
    return body;
  };
  return {
    description: `using the running stack at ${baseUrl}`,
    createThread: async () => (await json<{ id: string }>(await post("/v1/threads", {}))).id,
    send: (threadId, text) =>
      (async function* () {
        yield* readEvents(await post(`/v1/threads/${encodeURIComponent(threadId)}/messages`, { text }));
      })(),
    resume: (threadId, decision) =>
      (async function* () {
        yield* readEvents(await post(`/v1/threads/${encodeURIComponent(threadId)}/resume`, decision));
      })(),
    plan: async (text) => json<PlanPreview>(await post("/v1/plan", { text })),
    getThread: async (threadId) =>
      json<ThreadInfo>(await fetch(`${baseUrl}/v1/threads/${encodeURIComponent(threadId)}`, { headers })),
    close: async () => {},
  };
}

async function localConnection(config: AppConfig, user: string, worker: boolean): Promise<ChatConnection> {
  const logger = createLogger({ level: config.logLevel === "info" ? "warn" : config.logLevel, name: "cli" });
  const stack = await openStack(config, logger);
  const processing = worker ? stack.startWorker() : undefined;
  const opened = await openArchitectAgent({
    config: stack.config, // with the stack's default approvals policy, as the API and workers use
    database: stack.database,
    jobs: stack.jobs,
    lakehouse: stack.lakehouse,
    registry: createModelRegistry({
      mlflow: stack.tracking.client,
      db: stack.database.db,
      criteria: parseCriteria(config.sections.criteria),
    }),
    logger,
  });
  const { agent } = opened;
  return {
    description: processing
      ? `no running stack; the agent and a worker (${processing.workerId}) run in this process`
      : "no running stack; the agent runs in this process",
    createThread: async () => (await agent.createThread({ channel: "cli", createdBy: user })).id,
    send: (threadId, text) => agent.send(threadId, text, { user, channel: "cli" }),
    resume: (threadId, decision) => agent.resume(threadId, { ...decision, approver: user, channel: "cli" }),
    plan: (text) => agent.plan(text),
    getThread: (threadId) => agent.getThread(threadId),
    async close() {
      await opened.close();
      await stack.close();
    },
  };
}

/** The running API when one answers, otherwise an agent in this process. */
export async function connectChat(
  config: AppConfig,
  options: { user: string; token: string | undefined; worker: boolean },
): Promise<ChatConnection> {
  const baseUrl = apiBaseUrl(config);
  if (await new ApiClient(baseUrl).isUp()) return remoteConnection(baseUrl, options.user, options.token);
  return localConnection(config, options.user, options.worker);
}

/** Live progress on stderr, one line per event. */
function showProgress(event: ChatEvent): void {
  if (event.type === "plan") {
    say(pc.bold(`plan (${event.planner}, digest ${event.digest.slice(0, 12)}…):`));
    for (const step of event.steps) {
      const tag =
        step.effect === "gated" ? pc.yellow(" [needs approval]") : step.effect === "job" ? pc.cyan(" [job]") : "";
      say(`  - ${step.description}${tag}${step.available ? "" : pc.red(" [unavailable]")}`);
    }
  } else if (event.type === "tool_start") say(pc.dim(`→ ${event.tool} ${JSON.stringify(event.args)}`));
  else if (event.type === "progress") say(pc.dim(`  … job ${event.jobId}: ${event.status}`));
  else if (event.type === "tool_end") say(`${event.ok ? pc.green("✓") : pc.red("✗")} ${event.tool}: ${event.status}`);
}

async function askDecision(): Promise<"approve" | "reject" | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(pc.bold("Approve? [y]es / [n]o / [l]ater: "))).trim().toLowerCase();
    if (answer === "y" || answer === "yes") return "approve";
    if (answer === "n" || answer === "no") return "reject";
    return undefined;
  } finally {
    rl.close();
  }
}

export function registerChat(program: Command, loadConfig: () => AppConfig, token: () => string | undefined): void {
  program
    .command("chat")
    .description("Ask the architect; it shows its plan, runs it, and stops for your approval before risky steps")
    .argument("<request...>", 'what you want, e.g. "compare llama and gpt-oss" or "drop table main.default.tmp"')
    .option("--thread <id>", "continue a conversation")
    .option("--as <user>", "who you are, for approvals (default: your OS user name)")
    .option("--approve", "answer an approval prompt with yes (non-interactive)")
    .option("--reject <reason>", "answer an approval prompt with no, saying why (non-interactive)")
    .option("--json", "print the events and the reply as JSON")
    .action(
      async (
        words: string[],
        options: { thread?: string; as?: string; approve?: boolean; reject?: string; json?: boolean },
      ) => {
        const user = options.as ?? userInfo().username;
        const connection = await connectChat(loadConfig(), { user, token: token(), worker: true });
        say(`(${connection.description})`);
        const events: ChatEvent[] = [];
        try {
          const threadId = options.thread ?? (await connection.createThread());
          const text = words.join(" ");
          const pending = options.thread ? answerPending(connection, threadId, options) : undefined;
          const continuing = !pending && options.thread !== undefined && /^(resume|continue)$/i.test(text.trim());
          let stream = pending ?? (continuing ? resumeOrReport(connection, threadId) : connection.send(threadId, text));
          for (;;) {
            let interrupt: ApprovalInterrupt | undefined;
            for await (const event of stream) {
              events.push(event);
              if (!options.json) showProgress(event);
              if (event.type === "message" && !options.json) printLine(event.text);
              if (event.type === "error")
                throw new MlopsError(event.code, event.message, event.hint ? { hint: event.hint } : {});
              if (event.type === "interrupt") interrupt = event;
            }
            if (!interrupt) break;
            if (!options.json) say(pc.yellow(interrupt.message));
            const decision = options.approve
              ? "approve"
              : options.reject
                ? "reject"
                : options.json
                  ? undefined
                  : await askDecision();
            if (!decision) {
              const ids = interrupt.approvals.map((a) => a.approvalId);
              say(
                [
                  `Waiting for approval: ${interrupt.approvals.map((a) => `${a.approvalId} (${a.summary}, ${a.approvals}/${a.requiredApprovals})`).join("; ")}`,
                  "Approve, then continue the thread:",
                  ...ids.map((id) => `  mlops approvals approve ${id}`),
                  `  mlops chat --thread ${threadId} resume`,
                  `or answer here: mlops chat --thread ${threadId} --approve "yes"  (--reject "<why>" "no")`,
                ].join("\n"),
              );
              break;
            }
            stream = connection.resume(threadId, { decision, ...(options.reject ? { reason: options.reject } : {}) });
            options.approve = false;
            options.reject = undefined;
          }
          if (options.json) printJson({ threadId, events });
          else say(pc.dim(`thread ${threadId} (continue with --thread ${threadId})`));
        } finally {
          await connection.close();
        }
      },
    );
}

/**
 * `mlops chat --thread ID resume`: continues a thread whose approvals were decided elsewhere (`mlops approvals
 * approve`, Slack, the console). When the API already resumed it on the decision, shows its last report instead.
 */
async function* resumeOrReport(connection: ChatConnection, threadId: string): AsyncGenerator<ChatEvent> {
  try {
    yield* connection.resume(threadId, { decision: "check" });
  } catch (error) {
    if (!(error instanceof MlopsError) || error.code !== "AGENT_NOTHING_TO_RESUME") throw error;
    const thread = await connection.getThread(threadId);
    if (thread.pending) {
      yield { type: "interrupt", ...thread.pending };
      yield { type: "done", threadId, status: "interrupted" };
      return;
    }
    yield { type: "message", text: thread.report ?? "(no report yet)", planner: "" };
    yield { type: "done", threadId, status: "completed" };
  }
}

/**
 * With `--thread` and `--approve`/`--reject`, the message answers the thread's pending approval (the words are
 * only a note); otherwise it is a new message.
 */
function answerPending(
  connection: ChatConnection,
  threadId: string,
  options: { approve?: boolean; reject?: string },
): AsyncIterable<ChatEvent> | undefined {
  if (!options.approve && options.reject === undefined) return undefined;
  const decision = options.approve ? "approve" : "reject";
  const stream = connection.resume(threadId, { decision, ...(options.reject ? { reason: options.reject } : {}) });
  options.approve = false;
  options.reject = undefined;
  return stream;
}
