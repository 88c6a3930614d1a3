import { performance } from "node:perf_hooks";
import {
  createLexiconSentiment,
  type LabeledText,
  type TextClassifier,
  trainNaiveBayes,
  trainTfidfLogReg,
} from "@mlops/llm";
import type { Task } from "./model-zoo";
import type { PredictionOutcome, Predictor } from "./predictor";

/** Training data of an experiment: texts with both labels. */
export interface TrainingItem {
  text: string;
  category: string;
  sentiment: string | null;
}

function train(model: string, task: Task, items: readonly TrainingItem[], seed: number, labels: string[]) {
  if (model === "local/lexicon-sentiment") {
    const find = (name: string) =>
      labels.find((l) => l.toLowerCase() === name) ?? name[0]!.toUpperCase() + name.slice(1);
    return createLexiconSentiment({
      labels: { positive: find("positive"), neutral: find("neutral"), negative: find("negative") },
    });
  }
  const examples: LabeledText[] = [];
  for (const item of items) {
    const label = task === "category" ? item.category : item.sentiment;
    if (label) examples.push({ text: item.text, label });
  }
  return model === "local/naive-bayes" ? trainNaiveBayes(examples) : trainTfidfLogReg(examples, { seed });
}

/**
 * A local model per task, trained on the experiment's training split (deterministic for a seed, so every worker
 * trains the same model).
 */
export function createLocalPredictor(
  model: string,
  tasks: readonly Task[],
  items: readonly TrainingItem[],
  options: { seed: number; labels: { category: string[]; sentiment: string[] } },
): Predictor {
  const classifiers = new Map<Task, TextClassifier>();
  for (const task of tasks) classifiers.set(task, train(model, task, items, options.seed, options.labels[task]));
  return {
    concurrency: 1,
    info: () => ({ trainedOn: items.length }),
    async predict(text): Promise<PredictionOutcome> {
      const started = performance.now();
      const category = classifiers.get("category")?.predict(text).label ?? null;
      const sentiment = classifiers.get("sentiment")?.predict(text).label ?? null;
      return {
        category,
        sentiment,
        problems: null,
        raw: null,
        latencyMs: performance.now() - started,
        promptTokens: 0,
        completionTokens: 0,
        costUsd: 0,
        cached: false,
        attempts: 1,
      };
    },
  };
}
