import type { LabeledText, TextClassifier } from "./text-classifier";

/** Precision, recall and F1 of one label. */
export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassifierEvaluation {
  examples: number;
  accuracy: number;
  /** Unweighted mean of per-label F1 over every label seen in gold or predictions. */
  macroF1: number;
  perLabel: Record<string, LabelMetrics>;
}

/** Accuracy, macro F1 and per-label metrics of `predicted` against `gold`. */
export function evaluatePredictions(gold: readonly string[], predicted: readonly string[]): ClassifierEvaluation {
  const labels = [...new Set([...gold, ...predicted])].sort();
  const truePositives = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let correct = 0;
  gold.forEach((label, i) => {
    const guess = predicted[i]!;
    bump(goldCount, label);
    bump(predictedCount, guess);
    if (guess === label) {
      correct++;
      bump(truePositives, label);
    }
  });
  const perLabel: Record<string, LabelMetrics> = {};
  for (const label of labels) {
    const tp = truePositives.get(label) ?? 0;
    const support = goldCount.get(label) ?? 0;
    const guessed = predictedCount.get(label) ?? 0;
    const precision = guessed === 0 ? 0 : tp / guessed;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel[label] = { precision, recall, f1, support };
  }
  const f1s = labels.map((label) => perLabel[label]!.f1);
  return {
    examples: gold.length,
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    macroF1: f1s.length === 0 ? 0 : f1s.reduce((a, b) => a + b, 0) / f1s.length,
    perLabel,
  };
}

/** Runs `classifier` over `examples` and scores its labels. */
export function evaluateClassifier(classifier: TextClassifier, examples: readonly LabeledText[]): ClassifierEvaluation {
  const predicted = classifier.predictBatch(examples.map((e) => e.text)).map((p) => p.label);
  return evaluatePredictions(
    examples.map((e) => e.label),
    predicted,
  );
}
