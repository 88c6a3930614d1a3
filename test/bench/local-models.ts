// Benchmark of the local models (packages/llm/src/local) on the shared AG News split and Financial PhraseBank.
// Run: pnpm tsx test/bench/local-models.ts — prints JSON: accuracy, macro F1, train and eval milliseconds per model.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createLexiconSentiment,
  evaluateClassifier,
  type LabeledText,
  parseCsvRecords,
  type TextClassifier,
  trainLexiconSentiment,
  trainNaiveBayes,
  trainTfidfLogReg,
} from "../../packages/llm/src/local";

const repoRoot = resolve(fileURLToPath(import.meta.url), "../../..");
const dataDir = resolve(repoRoot, "../shared/data");
const files = {
  train: resolve(dataDir, "ag_news_split_train.csv"),
  eval: resolve(dataDir, "ag_news_split_eval.csv"),
  sentiment: resolve(dataDir, "financial_phrasebank_labeled.csv"),
};

const missing = Object.values(files).filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.log(`local-models bench skipped: data not found (${missing.join(", ")}). Put the shared data in ${dataDir}.`);
  process.exit(0);
}

function load(file: string, text: (row: Record<string, string>) => string, label: string): LabeledText[] {
  return parseCsvRecords(readFileSync(file, "utf8")).map((row) => ({ text: text(row), label: row[label] ?? "" }));
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

function measure(name: string, train: () => TextClassifier, evaluation: readonly LabeledText[]) {
  const started = performance.now();
  const model = train();
  const trained = performance.now();
  const result = evaluateClassifier(model, evaluation);
  const evaluated = performance.now();
  return {
    model: name,
    accuracy: round(result.accuracy),
    macroF1: round(result.macroF1),
    trainMs: Math.round(trained - started),
    evalMs: Math.round(evaluated - trained),
    evalExamples: result.examples,
    params: model.describe().params,
  };
}

const news = (row: Record<string, string>) => `${row.title ?? ""} ${row.content ?? ""}`;
const agTrain = load(files.train, news, "category");
const agEval = load(files.eval, news, "category");
const phrases = load(files.sentiment, (row) => row.content ?? "", "sentiment");
// Thresholds are fitted on every other sentence and scored on the rest, so the fitted figure is not self-graded.
const phrasesFit = phrases.filter((_, i) => i % 2 === 0);
const phrasesHeldOut = phrases.filter((_, i) => i % 2 === 1);

const report = {
  data: { agNewsTrain: agTrain.length, agNewsEval: agEval.length, phrasebank: phrases.length },
  agNews: [
    measure("local/tfidf-logreg", () => trainTfidfLogReg(agTrain), agEval),
    measure("local/naive-bayes", () => trainNaiveBayes(agTrain), agEval),
  ],
  sentiment: [
    measure("local/lexicon-sentiment", () => createLexiconSentiment(), phrases),
    measure("local/lexicon-sentiment (untrained, odd rows)", () => createLexiconSentiment(), phrasesHeldOut),
    measure(
      "local/lexicon-sentiment (thresholds fitted on even rows, odd rows)",
      () => trainLexiconSentiment(phrasesFit),
      phrasesHeldOut,
    ),
  ],
};
console.log(JSON.stringify(report, null, 2));
