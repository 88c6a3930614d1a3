import { type Clock, newId, systemClock } from "@mlops/core";
import { type AliasEventAction, type AppDatabase, registryAliasEvents } from "@mlops/db";
import { and, desc, eq } from "drizzle-orm";

/** One move of an alias, as `mlops registry history` shows it. */
export interface AliasEvent {
  id: string;
  model: string;
  alias: string;
  action: AliasEventAction;
  version: string | null;
  previousVersion: string | null;
  actor: string;
  cause: "registration" | "promotion" | "rollback" | "deletion" | (string & {});
  reason: string | null;
  approvalId: string | null;
  approvalDigest: string | null;
  at: string;
}

export type AliasEventInput = Omit<AliasEvent, "id" | "at" | "reason" | "approvalId" | "approvalDigest"> & {
  reason?: string | undefined;
  approvalId?: string | undefined;
  approvalDigest?: string | undefined;
};

export async function recordAliasEvents(
  db: AppDatabase,
  events: AliasEventInput[],
  clock: Clock = systemClock,
): Promise<void> {
  if (events.length === 0) return;
  const at = clock.now();
  await db.insert(registryAliasEvents).values(
    events.map((e) => ({
      id: newId("alias", at.getTime()),
      model: e.model,
      alias: e.alias,
      action: e.action,
      version: e.version,
      previousVersion: e.previousVersion,
      actor: e.actor,
      cause: e.cause,
      reason: e.reason ?? null,
      approvalId: e.approvalId ?? null,
      approvalDigest: e.approvalDigest ?? null,
      at,
    })),
  );
}

/** The alias history of a model, oldest first (optionally one alias only). */
export async function listAliasHistory(
  db: AppDatabase,
  model: string,
  options: { alias?: string; limit?: number } = {},
): Promise<AliasEvent[]> {
  const rows = await db
    .select()
    .from(registryAliasEvents)
    .where(
      options.alias
        ? and(eq(registryAliasEvents.model, model), eq(registryAliasEvents.alias, options.alias))
        : eq(registryAliasEvents.model, model),
    )
    .orderBy(desc(registryAliasEvents.seq))
    .limit(options.limit ?? 1000);
  return rows.reverse().map((r) => ({
    id: r.id,
    model: r.model,
    alias: r.alias,
    action: r.action,
    version: r.version,
    previousVersion: r.previousVersion,
    actor: r.actor,
    cause: r.cause,
    reason: r.reason,
    approvalId: r.approvalId,
    approvalDigest: r.approvalDigest,
    at: r.at.toISOString(),
  }));
}

/**
 * The champion before the current one: the version `champion` pointed to when it last moved to `current`.
 * Undefined when the history does not know (e.g. the champion was set outside this product).
 */
export async function previousChampion(db: AppDatabase, model: string, current: string): Promise<string | undefined> {
  const [row] = await db
    .select()
    .from(registryAliasEvents)
    .where(
      and(
        eq(registryAliasEvents.model, model),
        eq(registryAliasEvents.alias, "champion"),
        eq(registryAliasEvents.action, "set"),
        eq(registryAliasEvents.version, current),
      ),
    )
    .orderBy(desc(registryAliasEvents.seq))
    .limit(1);
  return row?.previousVersion ?? undefined;
}
