/** A text with its gold label, for training and evaluation. */
export interface LabeledText {
  text: string;
  label: string;
}

/** What a classifier says about one text. */
export interface Prediction {
  label: string;
  /** Probability-like score of `label`, in [0, 1]. */
  confidence: number;
  /** Probability-like score of every label; they sum to 1. */
  scores: Record<string, number>;
}

/** Name and parameters of a model, flat enough to log as MLflow params. */
export interface ClassifierDescription {
  name: string;
  kind: LocalModelKind;
  params: Record<string, string | number | boolean>;
}

export type LocalModelKind = "tfidf-logreg" | "naive-bayes" | "lexicon-sentiment";

/** The JSON a classifier saves as an artifact; `kind` says which loader reads it back. */
export interface SavedClassifier {
  format: "mlops-local-classifier";
  version: 1;
  kind: LocalModelKind;
  labels: string[];
  params: Record<string, string | number | boolean>;
}

/** A local model that needs no download: trained in process on the data, or built from a lexicon. */
export interface TextClassifier<Saved extends SavedClassifier = SavedClassifier> {
  readonly labels: readonly string[];
  predict(text: string): Prediction;
  predictBatch(texts: readonly string[]): Prediction[];
  describe(): ClassifierDescription;
  /** Everything needed to rebuild the model with `textClassifierFromJSON`. */
  toJSON(): Saved;
}
