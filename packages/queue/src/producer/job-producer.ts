import { newId } from "@mlops/core";
import { type AppDatabase, jobs } from "@mlops/db";
import { Queue } from "bullmq";
import { desc, eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import { getJobDefinition, type JobName, type JobPayloadInput, parsePayload } from "../catalog/job-catalog";
import { QueueError } from "../queue-error";
import { connectRedis } from "../redis/connect-redis";
import { isFinished, type JobRecord, toJobRecord } from "./job-record";

export interface JobProducerOptions {
  db: AppDatabase;
  redisUrl: string;
  /** Prefix of every BullMQ key. */
  prefix: string;
}

export interface EnqueueOptions {
  requestedBy: string;
  threadId?: string;
  /** Idempotency: enqueueing the same id twice yields one job. */
  jobId?: string;
}

export interface WaitOptions {
  timeoutMs?: number;
  pollMs?: number;
  onProgress?: (record: JobRecord) => void;
}

/**
 * Puts jobs on their queues and keeps their record in the app database. The record is written first, so a job
 * is never on a queue without a row that `mlops jobs list` can show.
 */
export class JobProducer {
  private readonly queues = new Map<string, Queue>();
  private readonly connection: Redis;

  constructor(private readonly options: JobProducerOptions) {
    this.connection = connectRedis(options.redisUrl);
    this.connection.on("error", () => {});
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloadInput<N>, options: EnqueueOptions): Promise<JobRecord> {
    const definition = getJobDefinition(name);
    const data = parsePayload(name, payload);
    const id = options.jobId ?? newId("job");
    const inserted = await this.options.db
      .insert(jobs)
      .values({
        id,
        name,
        queue: definition.queue,
        payload: data,
        requestedBy: options.requestedBy,
        threadId: options.threadId ?? null,
      })
      .onConflictDoNothing()
      .returning();
    await this.queue(definition.queue).add(name, data, {
      jobId: id,
      attempts: definition.attempts,
      backoff: { type: "exponential", delay: definition.backoffMs },
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    return inserted[0] ? toJobRecord(inserted[0]) : this.get(id);
  }

  async get(id: string): Promise<JobRecord> {
    const [row] = await this.options.db.select().from(jobs).where(eq(jobs.id, id));
    if (!row) {
      throw new QueueError("JOB_NOT_FOUND", `No job with id ${id}.`, { hint: "`mlops jobs list` shows the jobs." });
    }
    return toJobRecord(row);
  }

  async list(limit = 50): Promise<JobRecord[]> {
    const rows = await this.options.db.select().from(jobs).orderBy(desc(jobs.createdAt)).limit(limit);
    return rows.map(toJobRecord);
  }

  /** Polls the job's record until it finishes (completed, failed or cancelled). */
  async waitFor(id: string, options: WaitOptions = {}): Promise<JobRecord> {
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    let lastSeen = "";
    for (;;) {
      const record = await this.get(id);
      const seen = JSON.stringify([record.status, record.progress, record.attempts]);
      if (seen !== lastSeen) {
        lastSeen = seen;
        options.onProgress?.(record);
      }
      if (isFinished(record.status)) return record;
      if (Date.now() > deadline) {
        throw new QueueError("JOB_WAIT_TIMEOUT", `Job ${id} is still ${record.status} after waiting.`, {
          hint: `It goes on in the background; follow it with \`mlops jobs show ${id}\`.`,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  }

  /** Counts of jobs per BullMQ state, per queue: what the queue holds right now. */
  async queueCounts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [name, queue] of this.queues) out[name] = await queue.getJobCounts();
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}
