/** One model's answer on one item, with what it cost. A null label is an invalid answer (or a task not asked). */
export interface PredictionOutcome {
  category: string | null;
  sentiment: string | null;
  problems: string | null;
  raw: string | null;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  cached: boolean;
  attempts: number;
}

/** A model ready to answer items of one experiment. */
export interface Predictor {
  /** Items answered at once within one shard. */
  concurrency: number;
  predict(text: string, signal: AbortSignal): Promise<PredictionOutcome>;
  /** Facts learned while running (e.g. that the endpoint is a simulator). */
  info(): Record<string, unknown>;
}
