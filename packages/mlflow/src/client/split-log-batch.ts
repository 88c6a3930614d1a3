import type { Metric, Param, Tag } from "../wire/entities";

/** MLflow's per-request limits for `runs/log-batch`. */
export const LOG_BATCH_REQUEST_LIMITS = { metrics: 1000, params: 100, tags: 100, total: 1000 } as const;

export interface LogBatch {
  metrics: Metric[];
  params: Param[];
  tags: Tag[];
}

/**
 * Splits a batch of any size into requests within MLflow's limits (1000 metrics, 100 params, 100 tags, 1000 items
 * in all), keeping the order of each list. Params and tags go first, so they land even if a later chunk fails.
 */
export function splitLogBatch(batch: Partial<LogBatch>, limits = LOG_BATCH_REQUEST_LIMITS): LogBatch[] {
  const params = [...(batch.params ?? [])];
  const tags = [...(batch.tags ?? [])];
  const metrics = [...(batch.metrics ?? [])];
  const chunks: LogBatch[] = [];
  while (params.length || tags.length || metrics.length) {
    const chunkParams = params.splice(0, limits.params);
    const chunkTags = tags.splice(0, Math.min(limits.tags, limits.total - chunkParams.length));
    const room = Math.min(limits.metrics, limits.total - chunkParams.length - chunkTags.length);
    chunks.push({ params: chunkParams, tags: chunkTags, metrics: metrics.splice(0, room) });
  }
  return chunks;
}
