import { systemClock } from "@mlops/core";
import { trackingOutbox } from "@mlops/db";
import { asc, eq, sql } from "drizzle-orm";
import { type RecordedRun, type RunResult, writeRunResult } from "./record-run";
import type { RegistryDeps } from "./registry-deps";
import { isRegistryError } from "./registry-error";

export interface OutboxEntry {
  id: string;
  kind: string;
  experiment: string;
  runName: string | undefined;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

export interface OutboxSyncReport {
  synced: (RecordedRun & { id: string })[];
  failed: { id: string; error: string }[];
  /** Entries still pending after this sync (the server went away again, or they failed). */
  pending: number;
}

/** Tracking writes kept locally, oldest first. */
export async function listTrackingOutbox(deps: Pick<RegistryDeps, "db">): Promise<OutboxEntry[]> {
  const rows = await deps.db
    .select()
    .from(trackingOutbox)
    .where(eq(trackingOutbox.status, "pending"))
    .orderBy(asc(trackingOutbox.seq));
  return rows.map((r) => {
    const payload = r.payload as unknown as RunResult;
    return {
      id: r.id,
      kind: r.kind,
      experiment: payload.experiment,
      runName: payload.runName,
      attempts: r.attempts,
      lastError: r.lastError,
      createdAt: r.createdAt.toISOString(),
    };
  });
}

/**
 * Replays the pending tracking writes in order (`mlops runs sync`). A replay finds the run an earlier, interrupted
 * attempt created (by its result id) instead of creating another. Stops at the first entry the server still cannot
 * take while unreachable; other failures are recorded on the entry and the sync goes on.
 */
export async function syncTrackingOutbox(deps: RegistryDeps): Promise<OutboxSyncReport> {
  const clock = deps.clock ?? systemClock;
  const rows = await deps.db
    .select()
    .from(trackingOutbox)
    .where(eq(trackingOutbox.status, "pending"))
    .orderBy(asc(trackingOutbox.seq));
  const report: OutboxSyncReport = { synced: [], failed: [], pending: 0 };
  for (const row of rows) {
    try {
      const recorded = await writeRunResult(deps, row.payload as unknown as RunResult, row.id);
      await deps.db
        .update(trackingOutbox)
        .set({
          status: "synced",
          syncedAt: clock.now(),
          attempts: sql`${trackingOutbox.attempts} + 1`,
          result: recorded as unknown as Record<string, unknown>,
        })
        .where(eq(trackingOutbox.id, row.id));
      report.synced.push({ id: row.id, ...recorded });
    } catch (error) {
      await deps.db
        .update(trackingOutbox)
        .set({ attempts: sql`${trackingOutbox.attempts} + 1`, lastError: (error as Error).message })
        .where(eq(trackingOutbox.id, row.id));
      if (isRegistryError(error, "REGISTRY_TRACKING_UNREACHABLE")) throw error;
      report.failed.push({ id: row.id, error: (error as Error).message });
    }
  }
  report.pending = (await listTrackingOutbox(deps)).length;
  return report;
}
