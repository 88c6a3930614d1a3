export { classConcentration } from "./class-concentration";
export {
  type ClassifierEvaluation,
  evaluateClassifier,
  evaluatePredictions,
  type LabelMetrics,
} from "./evaluate-classifier";
export {
  createLexiconSentiment,
  type LexiconSentimentOptions,
  lexiconScore,
  lexiconSentimentFromJSON,
  type SavedLexiconSentiment,
  type SentimentLabels,
  trainLexiconSentiment,
} from "./lexicon-sentiment";
export { type NaiveBayesOptions, naiveBayesFromJSON, type SavedNaiveBayes, trainNaiveBayes } from "./naive-bayes";
export {
  type FitNgramFeaturesOptions,
  type FittedNgramFeatures,
  fitNgramFeatures,
  type NgramFeatures,
  type NgramRange,
  ngramFeaturesFromNames,
} from "./ngram-features";
export { parseCsv, parseCsvRecords } from "./parse-csv";
export { createRandom, type Random, shuffleInPlace } from "./prng";
export type { SparseVector } from "./sparse-vector";
export type {
  ClassifierDescription,
  LabeledText,
  LocalModelKind,
  Prediction,
  SavedClassifier,
  TextClassifier,
} from "./text-classifier";
export { textClassifierFromJSON } from "./text-classifier-from-json";
export { type SavedTfidfLogReg, type TfidfLogRegOptions, tfidfLogRegFromJSON, trainTfidfLogReg } from "./tfidf-logreg";
export { tokenize } from "./tokenize";
