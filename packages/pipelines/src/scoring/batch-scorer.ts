/** One prediction for one text. */
export interface Prediction {
  label: string;
  /** Confidence in [0, 1]. */
  score: number;
}

/** Scores texts in a batch; returns one prediction per text, in order. */
export type BatchScorer = (texts: string[]) => Promise<Prediction[]>;

/** A scorer with what it is, for the predictions table and lineage. */
export interface ResolvedScorer {
  score: BatchScorer;
  /** What scored, e.g. `main.ml.news_classifier` or `local:keyword-news`. */
  model: string;
  version: string;
  /** Said to the user, e.g. why a local default was used. */
  note?: string;
}

/**
 * Finds the scorer for a registry reference such as `main.ml.news_classifier@champion`; `undefined` when the
 * registry has no such model or alias (the runner then uses the local default and says so). Injected: the registry
 * package supplies one.
 */
export type ScorerResolver = (modelRef: string) => Promise<ResolvedScorer | undefined>;
