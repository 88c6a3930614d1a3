import { hashToUnit } from "./seeded-random";

/** The label of one item: what a perfect classifier would answer. */
export interface SimulatedLabel {
  category: string;
  sentiment: string;
}

/** The label space answers are drawn from. */
export interface SimulatorLabels {
  category: string[];
  sentiment: string[];
}

/** BBC-news-like categories and three sentiments, the seed data set's label space. */
export const DEFAULT_SIMULATOR_LABELS: SimulatorLabels = {
  category: ["business", "entertainment", "politics", "sport", "tech"],
  sentiment: ["negative", "neutral", "positive"],
};

const FIELDS = ["category", "sentiment"] as const;

/**
 * The truth the simulator assumes for a text nobody registered: a deterministic hash of the text picks a label,
 * so a harness without registered truth can still score answers by calling this function.
 */
export function simulatedTruth(text: string, labels: SimulatorLabels = DEFAULT_SIMULATOR_LABELS): SimulatedLabel {
  const pick = (field: (typeof FIELDS)[number]) => {
    const space = labels[field];
    return space[Math.floor(hashToUnit("truth", field, text) * space.length)]!;
  };
  return { category: pick("category"), sentiment: pick("sentiment") };
}

/**
 * The simulated classifier: each field is right with probability `accuracy`, decided by a hash of (seed, field, text)
 * so the same item always gets the same answer; a wrong answer is another label of the space, also deterministic.
 */
export function simulatedAnswer(
  text: string,
  truth: SimulatedLabel,
  options: { accuracy: number; seed: number; labels: SimulatorLabels },
): { answer: SimulatedLabel; correct: Record<keyof SimulatedLabel, boolean> } {
  const answer = { ...truth };
  const correct = { category: true, sentiment: true };
  for (const field of FIELDS) {
    if (hashToUnit(options.seed, "correct", field, text) < options.accuracy) continue;
    const others = options.labels[field].filter((label) => label !== truth[field]);
    if (others.length === 0) continue;
    answer[field] = others[Math.floor(hashToUnit(options.seed, "wrong", field, text) * others.length)]!;
    correct[field] = false;
  }
  return { answer, correct };
}
