import {
  type FitNgramFeaturesOptions,
  fitNgramFeatures,
  type NgramFeatures,
  ngramFeaturesFromNames,
} from "./ngram-features";
import { predictionFromLogits } from "./prediction";
import { assertTrainable, indexLabels, readSavedClassifier } from "./saved-classifier";
import type { SparseVector } from "./sparse-vector";
import type { LabeledText, Prediction, SavedClassifier, TextClassifier } from "./text-classifier";
import { applyTfidf, inverseDocumentFrequency } from "./tfidf";

/** Options of `trainNaiveBayes`; defaults are tuned on the AG News split (see README). */
export interface NaiveBayesOptions extends FitNgramFeaturesOptions {
  /** Lidstone smoothing added to every feature count (1 = Laplace). @defaultValue 0.3 */
  alpha?: number;
  /** What a document contributes per feature: raw counts, or l2-normalised sublinear tf-idf. @defaultValue "tfidf" */
  weighting?: "counts" | "tfidf";
  /** Complement naive Bayes (Rennie et al. 2003): estimate each class from the other classes' counts. @defaultValue true */
  complement?: boolean;
  /** Learn class priors from label frequencies; false uses uniform priors. @defaultValue true */
  fitPrior?: boolean;
}

/** A saved naive Bayes model. */
export interface SavedNaiveBayes extends SavedClassifier {
  kind: "naive-bayes";
  features: string[];
  /** Empty when weighting is "counts". */
  idf: number[];
  logPrior: number[];
  /** `featureLogProb[feature * labels + k]`. */
  featureLogProb: number[];
}

const DEFAULTS = {
  ngrams: 2,
  minDf: 1,
  maxDfRatio: 1,
  alpha: 0.3,
  weighting: "tfidf",
  complement: true,
  fitPrior: true,
} satisfies Required<NaiveBayesOptions>;

interface Parts {
  labels: string[];
  features: NgramFeatures;
  idf: Float64Array | undefined;
  logPrior: Float64Array;
  featureLogProb: Float64Array;
  params: SavedClassifier["params"];
}

function createNaiveBayes({
  labels,
  features,
  idf,
  logPrior,
  featureLogProb,
  params,
}: Parts): TextClassifier<SavedNaiveBayes> {
  const classes = labels.length;
  const logits = new Float64Array(classes);
  const predict = (text: string): Prediction => {
    const counts = features.count(text);
    const x = idf ? applyTfidf(counts, idf) : counts;
    logits.set(logPrior);
    for (let i = 0; i < x.indices.length; i++) {
      const base = x.indices[i]! * classes;
      const value = x.values[i]!;
      for (let k = 0; k < classes; k++) logits[k] = logits[k]! + featureLogProb[base + k]! * value;
    }
    return predictionFromLogits(labels, logits);
  };
  return {
    labels,
    predict,
    predictBatch: (texts) => texts.map(predict),
    describe: () => ({ name: "local/naive-bayes", kind: "naive-bayes", params: { ...params } }),
    toJSON: (): SavedNaiveBayes => ({
      format: "mlops-local-classifier",
      version: 1,
      kind: "naive-bayes",
      labels: [...labels],
      params: { ...params },
      features: [...features.names],
      idf: idf ? Array.from(idf) : [],
      logPrior: Array.from(logPrior),
      featureLogProb: Array.from(featureLogProb),
    }),
  };
}

/** Per-class feature totals: `totals[feature * classes + k]`. */
function classFeatureTotals(vectors: readonly SparseVector[], targets: Int32Array, features: number, classes: number) {
  const totals = new Float64Array(features * classes);
  vectors.forEach((x, n) => {
    const k = targets[n]!;
    for (let i = 0; i < x.indices.length; i++) {
      const at = x.indices[i]! * classes + k;
      totals[at] = totals[at]! + x.values[i]!;
    }
  });
  return totals;
}

/**
 * log P(feature | class) with Lidstone smoothing: ln((N_kj + α) / (N_k + α·F)). In complement mode the counts of
 * every other class stand in for N_kj, and the sign flips so that a larger score still means "more likely".
 */
function featureLogProbabilities(
  totals: Float64Array,
  features: number,
  classes: number,
  alpha: number,
  complement: boolean,
) {
  const perFeature = new Float64Array(features);
  const perClass = new Float64Array(classes);
  for (let j = 0; j < features; j++) {
    for (let k = 0; k < classes; k++) {
      const value = totals[j * classes + k]!;
      perFeature[j] = perFeature[j]! + value;
      perClass[k] = perClass[k]! + value;
    }
  }
  const all = perClass.reduce((a, b) => a + b, 0);
  const logProb = new Float64Array(features * classes);
  for (let k = 0; k < classes; k++) {
    const classTotal = complement ? all - perClass[k]! : perClass[k]!;
    const logDenominator = Math.log(classTotal + alpha * features);
    for (let j = 0; j < features; j++) {
      const count = complement ? perFeature[j]! - totals[j * classes + k]! : totals[j * classes + k]!;
      const logProbability = Math.log(count + alpha) - logDenominator;
      logProb[j * classes + k] = complement ? -logProbability : logProbability;
    }
  }
  return logProb;
}

/** Trains multinomial (or complement) naive Bayes over word unigram + bigram counts or tf-idf weights. */
export function trainNaiveBayes(
  examples: readonly LabeledText[],
  options: NaiveBayesOptions = {},
): TextClassifier<SavedNaiveBayes> {
  const settings = { ...DEFAULTS, ...options };
  const { labels, targets } = indexLabels(examples.map((e) => e.label));
  assertTrainable(labels, examples.length, "local/naive-bayes");
  const classes = labels.length;
  const fitted = fitNgramFeatures(
    examples.map((e) => e.text),
    settings,
  );
  const idf =
    settings.weighting === "tfidf" ? inverseDocumentFrequency(fitted.documentFrequency, examples.length) : undefined;
  const vectors = idf ? fitted.counts.map((counts) => applyTfidf(counts, idf)) : fitted.counts;
  const totals = classFeatureTotals(vectors, targets, fitted.features.size, classes);

  const logPrior = new Float64Array(classes);
  // Complement NB ranks by the complement likelihood alone; a prior on that scale would be meaningless.
  if (settings.fitPrior && !settings.complement) {
    for (const k of targets) logPrior[k] = logPrior[k]! + 1;
    for (let k = 0; k < classes; k++) logPrior[k] = Math.log(logPrior[k]! / examples.length);
  } else logPrior.fill(-Math.log(classes));

  return createNaiveBayes({
    labels,
    features: fitted.features,
    idf,
    logPrior,
    featureLogProb: featureLogProbabilities(totals, fitted.features.size, classes, settings.alpha, settings.complement),
    params: { ...settings, vocabSize: fitted.features.size, trainExamples: examples.length },
  });
}

/** Rebuilds a model saved with `toJSON()`; its predictions are identical to the original's. */
export function naiveBayesFromJSON(json: unknown): TextClassifier<SavedNaiveBayes> {
  const saved = readSavedClassifier<SavedNaiveBayes>(json, "naive-bayes", [
    "features",
    "idf",
    "logPrior",
    "featureLogProb",
  ]);
  return createNaiveBayes({
    labels: [...saved.labels],
    features: ngramFeaturesFromNames(saved.features, saved.params.ngrams === 1 ? 1 : 2),
    idf: saved.idf.length > 0 ? Float64Array.from(saved.idf) : undefined,
    logPrior: Float64Array.from(saved.logPrior),
    featureLogProb: Float64Array.from(saved.featureLogProb),
    params: { ...saved.params },
  });
}
