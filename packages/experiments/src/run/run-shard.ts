import { formatError } from "@mlops/core";
import { isLlmError } from "@mlops/llm";
import { createLlmPredictor, SpendCapReached } from "../models/llm-predictor";
import type { Task } from "../models/model-zoo";
import type { Predictor } from "../models/predictor";
import { PROMPT_TEMPLATES } from "../prompts/prompt-template";
import type { NewPrediction, TestItem } from "../store/experiment-store";
import type { ExperimentRuntime } from "./experiment-runtime";
import type { Shard } from "./prepare-experiment";

export interface ShardOutcome {
  model: string;
  from: number;
  to: number;
  /** Predictions this run stored. */
  stored: number;
  /** Items already predicted by an earlier try (skipped). */
  alreadyDone: number;
  /** Why the shard stopped early, if it did. */
  stopped: "cancel" | "max-cost" | "model-failed" | undefined;
}

export interface RunShardOptions {
  /** Aborts the shard (job timeout, worker shutdown): it throws, and what it stored stays stored. */
  signal?: AbortSignal;
  /** How often the shard looks for a cancel or a failed model. @defaultValue 500 ms */
  checkEveryMs?: number;
  /** Predictions written at once. @defaultValue 1 for LLM models, 500 for local ones */
  writeBatch?: number;
}

/**
 * Runs one model over test items [from, to) of an experiment. Items already predicted are skipped and every
 * prediction is inserted once (the primary key), so a retried or duplicated shard never double-counts. Stops
 * early on a cancel, on the spend cap (and says so for the whole experiment), or when its model has failed
 * (an endpoint down or refusing: the model is marked failed with the reason, other models go on).
 */
export async function runShard(
  runtime: ExperimentRuntime,
  experimentId: string,
  shard: Shard,
  options: RunShardOptions = {},
): Promise<ShardOutcome> {
  const { store } = runtime;
  const outcome: ShardOutcome = { ...shard, stored: 0, alreadyDone: 0, stopped: undefined };
  const experiment = await store.get(experimentId);
  const models = await store.models(experimentId);
  const model = models.find((m) => m.model === shard.model);
  if (!model) throw new Error(`experiment ${experimentId} has no model ${shard.model}`);
  const state = await store.stopState(experimentId);
  if (state.stopRequested) return { ...outcome, stopped: state.stopRequested as ShardOutcome["stopped"] };
  if (state.failedModels.has(shard.model)) return { ...outcome, stopped: "model-failed" };

  const done = await store.predictedIndices(experimentId, shard.model, shard.from, shard.to);
  outcome.alreadyDone = done.size;
  const items = (await store.testItems(experimentId, shard.from, shard.to)).filter((i) => !done.has(i.idx));
  if (items.length === 0) return outcome;
  await store.setModelStatus(experimentId, shard.model, "running");

  const spec = experiment.spec as { seed: number; prompt: string };
  const labels = experiment.labels ?? { category: [], sentiment: [] };
  const tasks = model.tasks as Task[];
  let predictor: Predictor;
  try {
    predictor =
      model.kind === "local"
        ? await runtime.localPredictor(experimentId, model.model, tasks, { seed: spec.seed, labels })
        : createLlmPredictor({
            client: runtime.chatClient(model.endpoint ?? model.model),
            template: PROMPT_TEMPLATES[spec.prompt]!,
            labels: { category: labels.category, sentiment: tasks.includes("sentiment") ? labels.sentiment : [] },
            spend: {
              reserve: (amount) => store.reserveSpend(experimentId, amount),
              settle: (delta) => store.settleSpend(experimentId, delta),
            },
          });
  } catch (error) {
    await store.setModelStatus(experimentId, shard.model, "failed", formatError(error));
    return { ...outcome, stopped: "model-failed" };
  }

  const writeBatch = options.writeBatch ?? (model.kind === "local" ? 500 : 1);
  const checkEveryMs = options.checkEveryMs ?? 500;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let pending: NewPrediction[] = [];
  let lastCheck = Date.now();
  let next = 0;

  const flush = async () => {
    const rows = pending;
    pending = [];
    const inserted = await store.insertPredictions(rows);
    outcome.stored += inserted;
  };
  let stopping = false;
  // A cancel abandons the requests in flight; at the spend cap they were already reserved (paid for), so they finish.
  const halt = (reason: NonNullable<ShardOutcome["stopped"]>) => {
    outcome.stopped ??= reason;
    stopping = true;
    if (reason === "cancel") stop.abort(new Error(reason));
  };
  const check = async () => {
    if (Date.now() - lastCheck < checkEveryMs) return;
    lastCheck = Date.now();
    const now = await store.stopState(experimentId);
    if (now.stopRequested) halt(now.stopRequested as "cancel" | "max-cost");
    else if (now.failedModels.has(shard.model)) halt("model-failed");
  };

  const work = async (item: TestItem) => {
    const p = await predictor.predict(item.text, signal);
    pending.push({
      experimentId,
      model: shard.model,
      itemIdx: item.idx,
      category: tasks.includes("category") ? p.category : null,
      sentiment: tasks.includes("sentiment") ? p.sentiment : null,
      problems: p.problems,
      raw: p.raw,
      latencyMs: p.latencyMs,
      promptTokens: p.promptTokens,
      completionTokens: p.completionTokens,
      costUsd: p.costUsd,
      cached: p.cached,
      attempts: p.attempts,
      worker: runtime.workerId,
    });
    if (pending.length >= writeBatch) await flush();
  };

  const lane = async () => {
    while (!stopping && !signal.aborted && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
        await check();
      } catch (error) {
        if (error instanceof SpendCapReached) {
          await store.requestStop(experimentId, "max-cost");
          halt("max-cost");
        } else if (stop.signal.aborted && !options.signal?.aborted) {
          // Stopped on purpose (cancel, cap, failed model): the request in flight was abandoned.
        } else if (isLlmError(error)) {
          await store.setModelStatus(experimentId, shard.model, "failed", formatError(error));
          halt("model-failed");
        } else throw error;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(predictor.concurrency, items.length) }, lane));
  } finally {
    await flush();
    const info = predictor.info();
    if (Object.keys(info).length > 0) await store.mergeModelInfo(experimentId, shard.model, info);
  }
  options.signal?.throwIfAborted();
  return outcome;
}
