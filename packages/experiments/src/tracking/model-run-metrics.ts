import type { ClassificationMetrics } from "../metrics/classification-metrics";
import type { Task } from "../models/model-zoo";
import type { ModelReport } from "../run/summarize-experiment";
import { metricKeyPart } from "./metric-key";

function taskMetrics(prefix: string, m: ClassificationMetrics): Record<string, number> {
  const out: Record<string, number> = {
    [`${prefix}accuracy`]: m.accuracy,
    [`${prefix}precision`]: m.macro.precision,
    [`${prefix}recall`]: m.macro.recall,
    [`${prefix}f1`]: m.macro.f1,
    [`${prefix}precision_macro`]: m.macro.precision,
    [`${prefix}recall_macro`]: m.macro.recall,
    [`${prefix}f1_macro`]: m.macro.f1,
    [`${prefix}precision_weighted`]: m.weighted.precision,
    [`${prefix}recall_weighted`]: m.weighted.recall,
    [`${prefix}f1_weighted`]: m.weighted.f1,
    [`${prefix}invalid_rate`]: m.invalidRate,
    [`${prefix}items`]: m.items,
  };
  for (const [label, c] of Object.entries(m.perClass)) {
    const key = metricKeyPart(label);
    out[`${prefix}precision_${key}`] = c.precision;
    out[`${prefix}recall_${key}`] = c.recall;
    out[`${prefix}f1_${key}`] = c.f1;
    out[`${prefix}support_${key}`] = c.support;
  }
  return out;
}

/**
 * Every metric of one model's child run. Each task's metrics are prefixed (`category_accuracy`,
 * `sentiment_f1_Positive`); the primary task's are also logged bare (`accuracy`, `precision`, `recall` and `f1`
 * macro, `f1_weighted`, `f1_<label>`…), which is what the registry's gates and MLflow's compare view read. Then
 * invalid rate, latency p50/p95/max, tokens and cost (total and per 1k items).
 */
export function modelRunMetrics(model: ModelReport, primaryTask: Task): Record<string, number> {
  const metrics: Record<string, number> = {};
  const primary = model[primaryTask];
  if (primary) Object.assign(metrics, taskMetrics("", primary));
  for (const task of ["category", "sentiment"] as const) {
    const m = model[task];
    if (m) Object.assign(metrics, taskMetrics(`${task}_`, m));
  }
  Object.assign(metrics, {
    invalid_rate: primary?.invalidRate ?? 0,
    latency_p50_ms: model.latencyMs.p50,
    latency_p95_ms: model.latencyMs.p95,
    latency_max_ms: model.latencyMs.max,
    tokens_prompt: model.tokens.prompt,
    tokens_completion: model.tokens.completion,
    tokens_total: model.tokens.total,
    cost_total_usd: model.cost.totalUsd,
    cost_per_1k_usd: model.cost.per1kItemsUsd,
    items_evaluated: model.evaluated,
    cached_answers: model.cachedAnswers,
  });
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}
