import type { StoredMonitor } from "@mlops/monitors";
import { getJobDefinition } from "@mlops/queue";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";

const SCHEDULER_PREFIX = "monitor:";

export interface MonitorScheduleSync {
  upserted: string[];
  removed: string[];
}

/**
 * Makes BullMQ's job schedulers match the stored monitors: one repeatable `monitor.run` job per scheduled monitor
 * (cron pattern or `every`), scheduler id `monitor:<name>`; schedulers of monitors that are gone or unscheduled
 * are removed. Idempotent: run it at worker start and after `monitor create`.
 */
export async function syncMonitorSchedules(options: {
  connection: Redis;
  prefix: string;
  monitors: readonly StoredMonitor[];
}): Promise<MonitorScheduleSync> {
  const definition = getJobDefinition("monitor.run");
  const queue = new Queue(definition.queue, { connection: options.connection, prefix: options.prefix });
  try {
    const upserted: string[] = [];
    const wanted = new Set<string>();
    for (const { spec } of options.monitors) {
      if (!spec.schedule) continue;
      const id = `${SCHEDULER_PREFIX}${spec.name}`;
      wanted.add(id);
      const repeat = spec.schedule.cron
        ? { pattern: spec.schedule.cron, ...(spec.schedule.tz ? { tz: spec.schedule.tz } : {}) }
        : { every: everyMs(spec.schedule.every!) };
      await queue.upsertJobScheduler(id, repeat, {
        name: "monitor.run",
        data: { monitor: spec.name, trigger: "schedule" },
        opts: {
          attempts: definition.attempts,
          backoff: { type: "exponential", delay: definition.backoffMs },
          removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
          removeOnFail: { age: 30 * 24 * 3600 },
        },
      });
      upserted.push(id);
    }
    const removed: string[] = [];
    for (const scheduler of await queue.getJobSchedulers(0, -1)) {
      const key = scheduler.key ?? scheduler.id;
      if (key?.startsWith(SCHEDULER_PREFIX) && !wanted.has(key)) {
        await queue.removeJobScheduler(key);
        removed.push(key);
      }
    }
    return { upserted, removed };
  } finally {
    await queue.close();
  }
}

function everyMs(text: string): number {
  const match = /^(\d+)(m|h|d|w)$/.exec(text);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match?.[2] as "m"];
  return Number(match?.[1]) * unit;
}
