import { classConcentration } from "./class-concentration";
import {
  type FitNgramFeaturesOptions,
  fitNgramFeatures,
  type NgramFeatures,
  ngramFeaturesFromNames,
} from "./ngram-features";
import { predictionFromLogits } from "./prediction";
import { assertTrainable, indexLabels, readSavedClassifier } from "./saved-classifier";
import {
  type SoftmaxRegressionModel,
  type SoftmaxRegressionOptions,
  softmaxLogits,
  trainSoftmaxRegression,
} from "./softmax-regression";
import type { LabeledText, Prediction, SavedClassifier, TextClassifier } from "./text-classifier";
import { applyTfidf, inverseDocumentFrequency, type TfidfOptions } from "./tfidf";

/** Options of `trainTfidfLogReg`; defaults are tuned on the AG News split (see README). */
export interface TfidfLogRegOptions extends FitNgramFeaturesOptions, TfidfOptions, SoftmaxRegressionOptions {
  /**
   * Supervised term weighting: each feature's idf is multiplied by 1 + β·c, where c in [0, 1) is how much the
   * feature concentrates on one class in the training data (see `classConcentration`). 0 gives plain tf-idf.
   * @defaultValue 2
   */
  classWeighting?: number;
}

/** A saved TF-IDF + logistic regression model. */
export interface SavedTfidfLogReg extends SavedClassifier {
  kind: "tfidf-logreg";
  features: string[];
  /** Term weight of each feature: idf, times the class weighting when it is on. */
  idf: number[];
  weights: number[];
  bias: number[];
}

const DEFAULTS = {
  ngrams: 2,
  minDf: 1,
  maxDfRatio: 1,
  sublinearTf: true,
  classWeighting: 2,
  l2: 1e-6,
  epochs: 30,
  learningRate: 1,
  averageLast: 0.5,
  seed: 42,
} satisfies Required<TfidfLogRegOptions>;

interface Parts {
  labels: string[];
  features: NgramFeatures;
  idf: Float64Array;
  model: SoftmaxRegressionModel;
  params: SavedClassifier["params"];
}

function createTfidfLogReg({ labels, features, idf, model, params }: Parts): TextClassifier<SavedTfidfLogReg> {
  const sublinearTf = params.sublinearTf === true;
  const logits = new Float64Array(labels.length);
  const predict = (text: string): Prediction => {
    const x = applyTfidf(features.count(text), idf, { sublinearTf });
    return predictionFromLogits(labels, softmaxLogits(model, x, logits));
  };
  return {
    labels,
    predict,
    predictBatch: (texts) => texts.map(predict),
    describe: () => ({ name: "local/tfidf-logreg", kind: "tfidf-logreg", params: { ...params } }),
    toJSON: (): SavedTfidfLogReg => ({
      format: "mlops-local-classifier",
      version: 1,
      kind: "tfidf-logreg",
      labels: [...labels],
      params: { ...params },
      features: [...features.names],
      idf: Array.from(idf),
      weights: Array.from(model.weights),
      bias: Array.from(model.bias),
    }),
  };
}

/** Trains TF-IDF (word unigrams + bigrams, l2-normalised) + multinomial logistic regression on `examples`. */
export function trainTfidfLogReg(
  examples: readonly LabeledText[],
  options: TfidfLogRegOptions = {},
): TextClassifier<SavedTfidfLogReg> {
  const settings = { ...DEFAULTS, ...options };
  const { labels, targets } = indexLabels(examples.map((e) => e.label));
  assertTrainable(labels, examples.length, "local/tfidf-logreg");
  const fitted = fitNgramFeatures(
    examples.map((e) => e.text),
    settings,
  );
  const idf = inverseDocumentFrequency(fitted.documentFrequency, examples.length);
  if (settings.classWeighting > 0) {
    const concentration = classConcentration(fitted.counts, targets, fitted.features.size, labels.length);
    for (let j = 0; j < idf.length; j++) idf[j] = idf[j]! * (1 + settings.classWeighting * concentration[j]!);
  }
  const vectors = fitted.counts.map((counts) => applyTfidf(counts, idf, settings));
  const model = trainSoftmaxRegression(vectors, targets, fitted.features.size, labels.length, settings);
  return createTfidfLogReg({
    labels,
    features: fitted.features,
    idf,
    model,
    params: { ...settings, vocabSize: fitted.features.size, trainExamples: examples.length },
  });
}

/** Rebuilds a model saved with `toJSON()`; its predictions are identical to the original's. */
export function tfidfLogRegFromJSON(json: unknown): TextClassifier<SavedTfidfLogReg> {
  const saved = readSavedClassifier<SavedTfidfLogReg>(json, "tfidf-logreg", ["features", "idf", "weights", "bias"]);
  const ngrams = saved.params.ngrams === 1 ? 1 : 2;
  return createTfidfLogReg({
    labels: [...saved.labels],
    features: ngramFeaturesFromNames(saved.features, ngrams),
    idf: Float64Array.from(saved.idf),
    model: {
      classes: saved.labels.length,
      weights: Float64Array.from(saved.weights),
      bias: Float64Array.from(saved.bias),
    },
    params: { ...saved.params },
  });
}
