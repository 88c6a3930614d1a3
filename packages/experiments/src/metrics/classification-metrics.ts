/** Precision, recall, F1 and support of one class. */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Gold items of the class. */
  support: number;
}

/** Quality of one model on one task (category or sentiment). */
export interface ClassificationMetrics {
  /** Items scored. */
  items: number;
  accuracy: number;
  /** Answers that could not be read as a label of the space: they count as wrong. */
  invalid: number;
  invalidRate: number;
  macro: { precision: number; recall: number; f1: number };
  /** Averages weighted by support. */
  weighted: { precision: number; recall: number; f1: number };
  perClass: Record<string, ClassMetrics>;
  /** Rows: gold labels (`labels`); columns: predicted labels, then one `invalid` column. */
  confusion: { labels: string[]; matrix: number[][] };
}

/** Label used in place of an unreadable answer. */
export const INVALID = null;

/**
 * Incremental confusion counting, so metrics over a large experiment never hold every prediction. An invalid
 * answer (`null`) is a miss for its gold class and a false positive for none.
 */
export class ConfusionCounter {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly invalidByGold = new Map<string, number>();
  private readonly predictedLabels = new Set<string>();
  items = 0;

  add(gold: string, predicted: string | null | undefined): void {
    this.items++;
    if (predicted === null || predicted === undefined) {
      this.invalidByGold.set(gold, (this.invalidByGold.get(gold) ?? 0) + 1);
      if (!this.counts.has(gold)) this.counts.set(gold, new Map());
      return;
    }
    this.predictedLabels.add(predicted);
    let row = this.counts.get(gold);
    if (!row) {
      row = new Map();
      this.counts.set(gold, row);
    }
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
  }

  /** Metrics over the classes seen in gold or predictions, plus `extraLabels` (the label space). */
  metrics(extraLabels: readonly string[] = []): ClassificationMetrics {
    const labels = [...new Set([...this.counts.keys(), ...this.predictedLabels, ...extraLabels])].sort();
    const matrix = labels.map((gold) => [
      ...labels.map((predicted) => this.counts.get(gold)?.get(predicted) ?? 0),
      this.invalidByGold.get(gold) ?? 0,
    ]);
    return metricsFromConfusion(labels, matrix);
  }
}

/** Metrics from a confusion matrix whose last column counts invalid answers. */
export function metricsFromConfusion(labels: string[], matrix: number[][]): ClassificationMetrics {
  const k = labels.length;
  let items = 0;
  let correct = 0;
  let invalid = 0;
  const predictedTotals = new Array<number>(k).fill(0);
  const perClass: Record<string, ClassMetrics> = {};
  for (let i = 0; i < k; i++) {
    const row = matrix[i]!;
    for (let j = 0; j < k; j++) predictedTotals[j]! += row[j]!;
    items += row.reduce((a, b) => a + b, 0);
    correct += row[i]!;
    invalid += row[k]!;
  }
  for (let i = 0; i < k; i++) {
    const row = matrix[i]!;
    const tp = row[i]!;
    const support = row.reduce((a, b) => a + b, 0);
    const precision = predictedTotals[i] === 0 ? 0 : tp / predictedTotals[i]!;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass[labels[i]!] = { precision, recall, f1, support };
  }
  const classes = Object.values(perClass);
  const mean = (pick: (m: ClassMetrics) => number) =>
    classes.length === 0 ? 0 : classes.reduce((s, m) => s + pick(m), 0) / classes.length;
  const weightedMean = (pick: (m: ClassMetrics) => number) =>
    items === 0 ? 0 : classes.reduce((s, m) => s + pick(m) * m.support, 0) / items;
  return {
    items,
    accuracy: items === 0 ? 0 : correct / items,
    invalid,
    invalidRate: items === 0 ? 0 : invalid / items,
    macro: { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) },
    weighted: {
      precision: weightedMean((m) => m.precision),
      recall: weightedMean((m) => m.recall),
      f1: weightedMean((m) => m.f1),
    },
    perClass,
    confusion: { labels, matrix },
  };
}

/** Metrics of `predicted` (null = invalid) against `gold`. */
export function classificationMetrics(
  gold: readonly string[],
  predicted: readonly (string | null | undefined)[],
  labelSpace: readonly string[] = [],
): ClassificationMetrics {
  const counter = new ConfusionCounter();
  for (const [i, label] of gold.entries()) counter.add(label, predicted[i]);
  return counter.metrics(labelSpace);
}
