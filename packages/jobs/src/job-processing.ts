import { hostname } from "node:os";
import { formatError, type Logger } from "@mlops/core";
import { jobs } from "@mlops/db";
import { catalogQueues, connectRedis, getJobDefinition, type JobName } from "@mlops/queue";
import { type Job, UnrecoverableError, WaitingError, Worker } from "bullmq";
import { eq, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { JobHandler, JobHandlers, JobServices } from "./job-handler";
import { JOB_HANDLERS } from "./processors";

export interface JobProcessingOptions {
  services: JobServices;
  redisUrl: string;
  prefix: string;
  /** Jobs run at once per queue. @defaultValue 8 */
  concurrency?: number;
  /** @defaultValue every queue of the catalog */
  queues?: string[];
  /** @defaultValue the handlers of the catalog */
  handlers?: Partial<JobHandlers>;
  logger: Logger;
}

export interface JobProcessing {
  /** `host:pid`, shown in job results and logs. */
  workerId: string;
  /** Jobs running now. */
  inFlight(): number;
  /**
   * Stops taking jobs and lets the running ones finish for up to `graceMs`; what is still running then is
   * aborted and handed back to its queue (state `wait`) for another worker. No job is lost either way.
   */
  close(graceMs?: number): Promise<{ finished: number; handedBack: number }>;
}

class HandBack extends Error {
  constructor() {
    super("the worker is shutting down; the job goes back to its queue");
  }
}

class JobTimeout extends Error {
  constructor(ms: number) {
    super(`the job ran longer than its timeout of ${ms} ms`);
  }
}

/** Runs BullMQ workers over the catalog's queues, keeping each job's record in the app database current. */
export function startJobProcessing(options: JobProcessingOptions): JobProcessing {
  const { services, logger } = options;
  const { db } = services;
  const handlers = { ...JOB_HANDLERS, ...options.handlers } as Record<string, JobHandler<JobName>>;
  const workerId = `${hostname()}:${process.pid}`;
  const running = new Map<string, AbortController>();
  let handingBack = false;
  let finished = 0;
  let handedBack = 0;
  let closing: Promise<{ finished: number; handedBack: number }> | undefined;

  async function runJob(job: Job, token?: string): Promise<unknown> {
    const id = job.id!;
    const definition = getJobDefinition(job.name);
    const handler = handlers[job.name];
    const attempt = (job.attemptsStarted ?? job.attemptsMade + 1) || 1;
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on this worker`);
    const parsed = definition.payload.safeParse(job.data);
    if (!parsed.success) {
      await db
        .update(jobs)
        .set({ status: "failed", error: `invalid payload: ${parsed.error.message}` })
        .where(eq(jobs.id, id));
      throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
    }
    await db
      .update(jobs)
      .set({
        status: "running",
        attempts: attempt,
        startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        updatedAt: new Date(),
      })
      .where(eq(jobs.id, id));

    const controller = new AbortController();
    running.set(id, controller);
    const timer = setTimeout(() => controller.abort(new JobTimeout(definition.timeoutMs)), definition.timeoutMs);
    const jobLogger = logger.child({ job: id, name: job.name, attempt });
    try {
      const result = await handler({
        id,
        payload: parsed.data as never,
        attempt,
        signal: controller.signal,
        services,
        logger: jobLogger,
        async reportProgress(progress) {
          await job.updateProgress(progress);
          await db.update(jobs).set({ progress, updatedAt: new Date() }).where(eq(jobs.id, id));
        },
      });
      const checked = definition.result.parse(result);
      await db
        .update(jobs)
        .set({ status: "completed", result: checked, error: null, finishedAt: new Date(), updatedAt: new Date() })
        .where(eq(jobs.id, id));
      finished++;
      jobLogger.info("job completed");
      return checked;
    } catch (error) {
      if (handingBack && controller.signal.reason instanceof HandBack) {
        await job.moveToWait(token);
        await db.update(jobs).set({ status: "queued", updatedAt: new Date() }).where(eq(jobs.id, id));
        handedBack++;
        jobLogger.warn("job handed back to its queue at shutdown");
        throw new WaitingError();
      }
      const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
      await db
        .update(jobs)
        .set({
          status: final ? "failed" : "queued",
          error: formatError(error),
          finishedAt: final ? new Date() : null,
          updatedAt: new Date(),
        })
        .where(eq(jobs.id, id));
      jobLogger.error({ err: error, final }, "job failed");
      throw error;
    } finally {
      clearTimeout(timer);
      running.delete(id);
    }
  }

  const connections: Redis[] = [];
  const workers = (options.queues ?? catalogQueues()).map((queue) => {
    const connection = connectRedis(options.redisUrl);
    connections.push(connection);
    const worker = new Worker(queue, runJob, {
      connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 8,
      name: workerId,
    });
    worker.on("error", (error) => logger.error({ err: error, queue }, "worker error"));
    return worker;
  });
  logger.info({ queues: workers.map((w) => w.name), workerId }, "worker listening");

  return {
    workerId,
    inFlight: () => running.size,
    close(graceMs = 25_000) {
      closing ??= shutDown(graceMs);
      return closing;
    },
  };

  async function shutDown(graceMs: number): Promise<{ finished: number; handedBack: number }> {
    const closed = Promise.all(workers.map((w) => w.close()));
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"grace-over">((resolve) => {
      timer = setTimeout(() => resolve("grace-over"), graceMs);
    });
    if ((await Promise.race([closed, graceOver])) === "grace-over") {
      handingBack = true;
      for (const controller of running.values()) controller.abort(new HandBack());
      await closed;
    }
    clearTimeout(timer);
    for (const connection of connections) connection.disconnect();
    return { finished, handedBack };
  }
}
