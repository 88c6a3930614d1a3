import type { Clock } from "@mlops/core";
import { systemClock } from "@mlops/core";
import { type AppDatabase, type MonitorRow, type MonitorRunRow, monitorRuns, monitors } from "@mlops/db";
import { desc, eq } from "drizzle-orm";
import { MonitorError } from "../monitor-error";
import { type MonitorSpec, parseMonitorSpec } from "./monitor-spec";

export interface StoredMonitor {
  spec: MonitorSpec;
  schedule: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  lastRunId: string | null;
  lastRunAt: Date | null;
  lastStatus: string | null;
}

/** `cron:<pattern>` or `every:<duration>` (what the scheduler and `monitor list` show). */
export function scheduleKey(spec: MonitorSpec): string | null {
  if (!spec.schedule) return null;
  return spec.schedule.cron ? `cron:${spec.schedule.cron}` : `every:${spec.schedule.every}`;
}

function toStored(row: MonitorRow): StoredMonitor {
  return {
    spec: parseMonitorSpec(row.spec),
    schedule: row.schedule,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastRunId: row.lastRunId,
    lastRunAt: row.lastRunAt,
    lastStatus: row.lastStatus,
  };
}

/** Monitor definitions and their run log in the app database. */
export function createMonitorStore(db: AppDatabase, clock: Clock = systemClock) {
  return {
    /** Creates a monitor; with `replace`, updates one of the same name instead of refusing. */
    async save(spec: MonitorSpec, options: { createdBy: string; replace?: boolean }): Promise<StoredMonitor> {
      const now = clock.now();
      const values = {
        name: spec.name,
        table: spec.table,
        spec: spec as unknown as Record<string, unknown>,
        schedule: scheduleKey(spec),
        onBreach: spec.onBreach,
        createdBy: options.createdBy,
        createdAt: now,
        updatedAt: now,
      };
      const query = db.insert(monitors).values(values);
      const rows = options.replace
        ? await query
            .onConflictDoUpdate({
              target: monitors.name,
              set: {
                table: values.table,
                spec: values.spec,
                schedule: values.schedule,
                onBreach: values.onBreach,
                updatedAt: now,
              },
            })
            .returning()
        : await query.onConflictDoNothing().returning();
      if (!rows[0]) {
        throw new MonitorError("MONITOR_ALREADY_EXISTS", `A monitor named ${spec.name} exists.`, {
          hint: "Pick another name, or replace it (`mlops monitor create --replace`).",
        });
      }
      return toStored(rows[0]);
    },

    async get(name: string): Promise<StoredMonitor> {
      const [row] = await db.select().from(monitors).where(eq(monitors.name, name));
      if (!row) {
        throw new MonitorError("MONITOR_NOT_FOUND", `No monitor named ${name}.`, {
          hint: "`mlops monitor list` shows the monitors; `mlops monitor create` makes one.",
        });
      }
      return toStored(row);
    },

    async list(): Promise<StoredMonitor[]> {
      return (await db.select().from(monitors).orderBy(monitors.name)).map(toStored);
    },

    async remove(name: string): Promise<boolean> {
      return (await db.delete(monitors).where(eq(monitors.name, name)).returning()).length > 0;
    },

    async startRun(run: { id: string; monitorName: string; trigger: string }): Promise<void> {
      await db.insert(monitorRuns).values({ ...run, status: "running", startedAt: clock.now() });
    },

    async finishRun(
      id: string,
      outcome: { monitorName: string; status: string; summary: Record<string, unknown>; error?: string },
    ) {
      const now = clock.now();
      await db
        .update(monitorRuns)
        .set({ status: outcome.status, summary: outcome.summary, error: outcome.error ?? null, finishedAt: now })
        .where(eq(monitorRuns.id, id));
      await db
        .update(monitors)
        .set({ lastRunId: id, lastRunAt: now, lastStatus: outcome.status })
        .where(eq(monitors.name, outcome.monitorName));
    },

    async runs(name: string, limit = 20): Promise<MonitorRunRow[]> {
      return db
        .select()
        .from(monitorRuns)
        .where(eq(monitorRuns.monitorName, name))
        .orderBy(desc(monitorRuns.startedAt))
        .limit(limit);
    },
  };
}

export type MonitorStore = ReturnType<typeof createMonitorStore>;
