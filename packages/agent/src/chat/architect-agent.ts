import { HumanMessage } from "@langchain/core/messages";
import { Command } from "@langchain/langgraph";
import type { ApprovalService } from "@mlops/approvals";
import { formatError, isMlopsError, type Logger, newId, silentLogger } from "@mlops/core";
import { type Database, threads } from "@mlops/db";
import type { JobProducer } from "@mlops/queue";
import { eq } from "drizzle-orm";
import { AgentError } from "../agent-error";
import type { Checkpointer } from "../checkpointer/create-checkpointer";
import { type ArchitectGraph, createArchitectGraph } from "../graph/create-architect-graph";
import { type ResumeDecisionInput, resumeDecisionSchema } from "../graph/nodes/await-approval/resume-decision";
import { AGENT_REQUESTER } from "../graph/nodes/request-approvals/request-approvals-node";
import type { ArchitectStateType } from "../graph/state";
import { type PlanPreview, previewPlan } from "../plan/preview-plan";
import { OFFLINE_PLANNER_NAME } from "../planner/command-planner";
import type { Planner } from "../planner/planner";
import type { Toolbox } from "../tools/toolbox";
import type { ApprovalInterrupt, ChatEvent } from "./chat-events";

export interface ArchitectAgentOptions {
  /** The app database: threads, approvals and (through `checkpointer`) the graph's state. */
  database: Pick<Database, "db" | "sql">;
  checkpointer: Checkpointer;
  planner: Planner;
  toolbox: Toolbox;
  jobs?: JobProducer | undefined;
  approvals?: ApprovalService | undefined;
  /** Checkpoints kept per thread after each run. @defaultValue 20 */
  keepCheckpoints?: number;
  /** @defaultValue 10 minutes */
  jobTimeoutMs?: number;
  /** @defaultValue 6 */
  maxRounds?: number;
  logger?: Logger;
}

export interface ThreadInfo {
  id: string;
  title: string;
  channel: string;
  createdBy: string;
  createdAt: string;
  /** The approval the thread waits for, if any. */
  pending: ApprovalInterrupt | null;
  /** The last report. */
  report: string | null;
}

export interface SendOptions {
  user: string;
  channel: string;
}

export type ArchitectAgent = ReturnType<typeof createArchitectAgent>;

/**
 * The architect behind every chat surface (HTTP, CLI, Slack): threads, streamed runs, approvals and resume. State
 * lives in the checkpointer, so a thread continues after a restart with a new agent on the same database.
 */
export function createArchitectAgent(options: ArchitectAgentOptions) {
  const logger = options.logger ?? silentLogger();
  const { db } = options.database;
  const graph: ArchitectGraph = createArchitectGraph({
    planner: options.planner,
    offlinePlanner: options.planner.name === OFFLINE_PLANNER_NAME,
    toolbox: options.toolbox,
    checkpointer: options.checkpointer.saver,
    db,
    jobs: options.jobs,
    approvals: options.approvals,
    maxRounds: options.maxRounds,
    jobTimeoutMs: options.jobTimeoutMs,
  });
  const keep = options.keepCheckpoints ?? 20;
  const running = new Map<string, Promise<unknown>>();

  const configFor = (threadId: string) => ({ configurable: { thread_id: threadId }, recursionLimit: 100 });

  async function pendingInterrupt(threadId: string): Promise<ApprovalInterrupt | null> {
    const snapshot = await graph.getState(configFor(threadId));
    for (const task of snapshot.tasks) {
      for (const item of task.interrupts ?? []) return item.value as ApprovalInterrupt;
    }
    return null;
  }

  async function requireThread(threadId: string) {
    const [row] = await db.select().from(threads).where(eq(threads.id, threadId));
    if (!row) {
      throw new AgentError("AGENT_THREAD_NOT_FOUND", `No chat thread ${threadId}.`, {
        hint: "Start one with `POST /v1/threads` or `mlops chat` without --thread.",
        context: { threadId },
      });
    }
    return row;
  }

  /** One run of the graph, streamed as events; one run per thread at a time in this process. */
  async function* run(threadId: string, input: unknown, precheck?: () => Promise<void>): AsyncGenerator<ChatEvent> {
    while (running.has(threadId)) await running.get(threadId)!.catch(() => {});
    let release!: () => void;
    running.set(threadId, new Promise<void>((resolve) => (release = resolve)));
    try {
      // Inside the lock: a decision that arrives while another resume of the thread runs sees its outcome.
      await precheck?.();
    } catch (error) {
      running.delete(threadId);
      release();
      throw error;
    }
    try {
      const stream = await graph.stream(input as never, { ...configFor(threadId), streamMode: ["custom"] });
      for await (const chunk of stream) {
        const [, event] = chunk as unknown as [string, ChatEvent];
        yield event;
      }
      const pending = await pendingInterrupt(threadId);
      if (pending) yield { type: "interrupt", ...pending };
      await db.update(threads).set({ updatedAt: new Date() }).where(eq(threads.id, threadId));
      try {
        await options.checkpointer.prune(threadId, keep);
      } catch (error) {
        logger.warn({ err: error, threadId }, "could not prune old checkpoints");
      }
      yield { type: "done", threadId, status: pending ? "interrupted" : "completed" };
    } catch (error) {
      logger.error({ err: error, threadId }, "agent run failed");
      yield {
        type: "error",
        code: isMlopsError(error) ? error.code : "AGENT_RUN_FAILED",
        message: formatError(error),
        ...(isMlopsError(error) && error.hint ? { hint: error.hint } : {}),
      };
    } finally {
      running.delete(threadId);
      release();
    }
  }

  return {
    planner: options.planner.name,
    toolbox: options.toolbox,
    graph,

    /** Records a new thread; `id` lets a channel choose it (a Slack thread, for one). */
    async createThread(input: {
      title?: string;
      channel: string;
      createdBy: string;
      id?: string;
    }): Promise<ThreadInfo> {
      const id = input.id ?? newId("thr");
      const [row] = await db
        .insert(threads)
        .values({ id, title: input.title ?? "New conversation", channel: input.channel, createdBy: input.createdBy })
        .onConflictDoNothing()
        .returning();
      return row ? { ...toInfo(row), pending: null, report: null } : this.getThread(id);
    },

    async getThread(threadId: string): Promise<ThreadInfo> {
      const row = await requireThread(threadId);
      const snapshot = await graph.getState(configFor(threadId));
      const values = snapshot.values as Partial<ArchitectStateType>;
      return { ...toInfo(row), pending: await pendingInterrupt(threadId), report: values.finalReport ?? null };
    },

    /** Sends the person's message and streams the run. Refused while the thread waits for a decision. */
    async *send(threadId: string, text: string, sendOptions: SendOptions): AsyncGenerator<ChatEvent> {
      const request = text.trim();
      if (!request) throw new AgentError("AGENT_INVALID_REQUEST", "The message is empty.");
      const row = await requireThread(threadId);
      const pending = await pendingInterrupt(threadId);
      if (pending) {
        throw new AgentError("AGENT_AWAITING_DECISION", `Thread ${threadId} is waiting for an approval decision.`, {
          hint: "Approve or reject first (POST /v1/threads/:id/resume, or answer the prompt in `mlops chat`).",
          context: { threadId, approvals: pending.approvals.map((a) => a.approvalId) },
        });
      }
      if (row.title === "New conversation") {
        await db
          .update(threads)
          .set({ title: request.slice(0, 80) })
          .where(eq(threads.id, threadId));
      }
      yield* run(threadId, {
        messages: [new HumanMessage({ id: newId("msg"), content: request })],
        threadId,
        request,
        user: sendOptions.user,
        channel: sendOptions.channel,
        round: 0,
        currentPlan: null,
        approvals: {},
        ungated: [],
        results: {},
        finalReport: null,
      });
    },

    /** Resumes a thread stopped for approval with a person's decision, and streams the rest of the run. */
    async *resume(threadId: string, decision: ResumeDecisionInput): AsyncGenerator<ChatEvent> {
      const parsed = resumeDecisionSchema.safeParse(decision);
      if (!parsed.success) {
        throw new AgentError(
          "AGENT_INVALID_REQUEST",
          `Invalid decision: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        );
      }
      await requireThread(threadId);
      yield* run(threadId, new Command({ resume: parsed.data }), async () => {
        if (!(await pendingInterrupt(threadId))) {
          throw new AgentError("AGENT_NOTHING_TO_RESUME", `Thread ${threadId} is not waiting for a decision.`, {
            hint: "Send a message instead; `GET /v1/threads/:id` (or `mlops chat --thread ID resume`) shows its last report.",
          });
        }
      });
    },

    /**
     * After a decision made elsewhere (Slack buttons, `mlops approvals approve`, the console) on one of the agent's
     * approval requests: the thread that waits for it, resumed with `check` (the graph re-reads the approvals), or
     * undefined when no thread waits for that approval.
     */
    async continueAfterDecision(request: {
      id: string;
      requestedBy: string;
      reason: string;
    }): Promise<{ threadId: string; channel: string; events: AsyncGenerator<ChatEvent> } | undefined> {
      if (request.requestedBy !== AGENT_REQUESTER) return undefined;
      const threadId = threadOfApprovalReason(request.reason);
      if (!threadId) return undefined;
      const [row] = await db.select().from(threads).where(eq(threads.id, threadId));
      if (!row) return undefined;
      const pending = await pendingInterrupt(threadId);
      if (!pending?.approvals.some((a) => a.approvalId === request.id)) return undefined;
      const events = run(
        threadId,
        new Command({ resume: { decision: "check", approver: AGENT_REQUESTER, channel: "agent" } }),
        async () => {
          const still = await pendingInterrupt(threadId);
          if (!still?.approvals.some((a) => a.approvalId === request.id)) {
            throw new AgentError("AGENT_NOTHING_TO_RESUME", `Thread ${threadId} no longer waits for ${request.id}.`);
          }
        },
      );
      return { threadId, channel: row.channel, events };
    },

    /** The planner's tool calls for a request, without running anything. */
    plan: (text: string): Promise<PlanPreview> => previewPlan(options, text),
  };
}

/** The thread an approval request of the agent belongs to, from the reason `request_approvals` writes. */
export function threadOfApprovalReason(reason: string): string | undefined {
  return /\bchat thread (\S+) \(/.exec(reason)?.[1];
}

function toInfo(row: typeof threads.$inferSelect) {
  return {
    id: row.id,
    title: row.title,
    channel: row.channel,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}
