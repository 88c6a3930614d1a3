import {
  type AppDatabase,
  type ExperimentModelRow,
  type ExperimentRow,
  type ExperimentStatus,
  experimentItems,
  experimentModels,
  experimentPredictions,
  experiments,
} from "@mlops/db";
import { and, asc, count, desc, eq, gt, gte, isNull, lt, or, sql } from "drizzle-orm";
import { ExperimentError } from "../experiment-error";

export type NewPrediction = typeof experimentPredictions.$inferInsert;
export type NewItem = typeof experimentItems.$inferInsert;

/** A test item with its gold labels. */
export interface TestItem {
  idx: number;
  text: string;
  category: string;
  sentiment: string | null;
}

/** A stored prediction beside the item's gold labels, for scoring. */
export interface ScoredPrediction {
  itemIdx: number;
  goldCategory: string;
  goldSentiment: string | null;
  category: string | null;
  sentiment: string | null;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  cached: boolean;
}

/** Every read and write of experiments in the app database. */
export class ExperimentStore {
  constructor(readonly db: AppDatabase) {}

  async create(id: string, spec: Record<string, unknown>, requestedBy: string, maxCostUsd?: number): Promise<void> {
    await this.db
      .insert(experiments)
      .values({ id, spec, requestedBy, maxCostUsd: maxCostUsd ?? null })
      .onConflictDoNothing();
  }

  async get(id: string): Promise<ExperimentRow> {
    const [row] = await this.db.select().from(experiments).where(eq(experiments.id, id));
    if (!row) {
      throw new ExperimentError("EXPERIMENT_NOT_FOUND", `No experiment with id ${id}.`, {
        hint: "`mlops experiment list` shows the experiments.",
        context: { id },
      });
    }
    return row;
  }

  async list(limit = 50): Promise<ExperimentRow[]> {
    return this.db.select().from(experiments).orderBy(desc(experiments.createdAt)).limit(limit);
  }

  async models(id: string): Promise<ExperimentModelRow[]> {
    return this.db
      .select()
      .from(experimentModels)
      .where(eq(experimentModels.experimentId, id))
      .orderBy(asc(experimentModels.position));
  }

  async update(id: string, values: Partial<typeof experiments.$inferInsert>): Promise<void> {
    await this.db
      .update(experiments)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(experiments.id, id));
  }

  async insertModels(rows: Array<typeof experimentModels.$inferInsert>): Promise<void> {
    if (rows.length > 0) await this.db.insert(experimentModels).values(rows).onConflictDoNothing();
  }

  async setModelStatus(id: string, model: string, status: ExperimentModelRow["status"], error?: string): Promise<void> {
    const where = and(eq(experimentModels.experimentId, id), eq(experimentModels.model, model));
    // A failed model stays failed: a later shard finishing must not hide the reason.
    await this.db
      .update(experimentModels)
      .set({ status, error: error ?? null })
      .where(status === "failed" ? where : and(where, sql`${experimentModels.status} <> 'failed'`));
  }

  async mergeModelInfo(id: string, model: string, info: Record<string, unknown>): Promise<void> {
    await this.db
      .update(experimentModels)
      .set({ info: sql`coalesce(${experimentModels.info}, '{}'::jsonb) || ${JSON.stringify(info)}::jsonb` })
      .where(and(eq(experimentModels.experimentId, id), eq(experimentModels.model, model)));
  }

  async insertItems(rows: NewItem[]): Promise<void> {
    if (rows.length > 0) await this.db.insert(experimentItems).values(rows).onConflictDoNothing();
  }

  async testItems(id: string, from: number, to: number): Promise<TestItem[]> {
    return this.db
      .select({
        idx: experimentItems.idx,
        text: experimentItems.text,
        category: experimentItems.category,
        sentiment: experimentItems.sentiment,
      })
      .from(experimentItems)
      .where(
        and(
          eq(experimentItems.experimentId, id),
          eq(experimentItems.split, "test"),
          gte(experimentItems.idx, from),
          lt(experimentItems.idx, to),
        ),
      )
      .orderBy(asc(experimentItems.idx));
  }

  async trainItems(id: string): Promise<Array<{ text: string; category: string; sentiment: string | null }>> {
    return this.db
      .select({ text: experimentItems.text, category: experimentItems.category, sentiment: experimentItems.sentiment })
      .from(experimentItems)
      .where(and(eq(experimentItems.experimentId, id), eq(experimentItems.split, "train")))
      .orderBy(asc(experimentItems.idx));
  }

  async predictedIndices(id: string, model: string, from: number, to: number): Promise<Set<number>> {
    const rows = await this.db
      .select({ idx: experimentPredictions.itemIdx })
      .from(experimentPredictions)
      .where(
        and(
          eq(experimentPredictions.experimentId, id),
          eq(experimentPredictions.model, model),
          gte(experimentPredictions.itemIdx, from),
          lt(experimentPredictions.itemIdx, to),
        ),
      );
    return new Set(rows.map((r) => r.idx));
  }

  /** Stores predictions once: a prediction already there (a retried shard) is ignored. Returns how many were new. */
  async insertPredictions(rows: NewPrediction[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await this.db
      .insert(experimentPredictions)
      .values(rows)
      .onConflictDoNothing()
      .returning({ idx: experimentPredictions.itemIdx });
    return inserted.length;
  }

  /** Predictions stored per model. */
  async progress(id: string): Promise<Record<string, number>> {
    const rows = await this.db
      .select({ model: experimentPredictions.model, n: count() })
      .from(experimentPredictions)
      .where(eq(experimentPredictions.experimentId, id))
      .groupBy(experimentPredictions.model);
    return Object.fromEntries(rows.map((r) => [r.model, Number(r.n)]));
  }

  /** Asks every shard to stop; the first reason wins. */
  async requestStop(id: string, reason: "cancel" | "max-cost"): Promise<void> {
    await this.db
      .update(experiments)
      .set({ stopRequested: reason, updatedAt: new Date() })
      .where(and(eq(experiments.id, id), isNull(experiments.stopRequested)));
  }

  async stopState(id: string): Promise<{ stopRequested: string | null; failedModels: Set<string> }> {
    const [row] = await this.db
      .select({ stop: experiments.stopRequested })
      .from(experiments)
      .where(eq(experiments.id, id));
    const failed = await this.db
      .select({ model: experimentModels.model })
      .from(experimentModels)
      .where(and(eq(experimentModels.experimentId, id), eq(experimentModels.status, "failed")));
    return { stopRequested: row?.stop ?? null, failedModels: new Set(failed.map((f) => f.model)) };
  }

  /**
   * Reserves `amount` USD of the experiment's budget in one atomic update, so workers together never pass the cap.
   * False when the reservation would exceed it.
   */
  async reserveSpend(id: string, amount: number): Promise<boolean> {
    const rows = await this.db
      .update(experiments)
      .set({ reservedCostUsd: sql`${experiments.reservedCostUsd} + ${amount}` })
      .where(
        and(
          eq(experiments.id, id),
          or(
            isNull(experiments.maxCostUsd),
            sql`${experiments.reservedCostUsd} + ${amount} <= ${experiments.maxCostUsd}`,
          ),
        ),
      )
      .returning({ reserved: experiments.reservedCostUsd });
    return rows.length > 0;
  }

  /** Replaces a reservation by what the request really cost (`delta` = actual − reserved). */
  async settleSpend(id: string, delta: number): Promise<void> {
    if (delta === 0) return;
    await this.db
      .update(experiments)
      .set({ reservedCostUsd: sql`greatest(0, ${experiments.reservedCostUsd} + ${delta})` })
      .where(eq(experiments.id, id));
  }

  /** A model's predictions with gold labels, in item order, a page at a time. */
  async *scoredPredictions(id: string, model: string, pageSize = 5000): AsyncGenerator<ScoredPrediction[]> {
    let after = -1;
    for (;;) {
      const page = await this.db
        .select({
          itemIdx: experimentPredictions.itemIdx,
          goldCategory: experimentItems.category,
          goldSentiment: experimentItems.sentiment,
          category: experimentPredictions.category,
          sentiment: experimentPredictions.sentiment,
          latencyMs: experimentPredictions.latencyMs,
          promptTokens: experimentPredictions.promptTokens,
          completionTokens: experimentPredictions.completionTokens,
          costUsd: experimentPredictions.costUsd,
          cached: experimentPredictions.cached,
        })
        .from(experimentPredictions)
        .innerJoin(
          experimentItems,
          and(
            eq(experimentItems.experimentId, experimentPredictions.experimentId),
            eq(experimentItems.split, "test"),
            eq(experimentItems.idx, experimentPredictions.itemIdx),
          ),
        )
        .where(
          and(
            eq(experimentPredictions.experimentId, id),
            eq(experimentPredictions.model, model),
            gt(experimentPredictions.itemIdx, after),
          ),
        )
        .orderBy(asc(experimentPredictions.itemIdx))
        .limit(pageSize);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.itemIdx;
      if (page.length < pageSize) return;
    }
  }

  async finish(id: string, status: ExperimentStatus, report: Record<string, unknown> | null, error?: string) {
    await this.update(id, { status, report, error: error ?? null, finishedAt: new Date() });
  }
}
