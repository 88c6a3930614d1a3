import { MlopsError } from "@mlops/core";
import { predictionFromLogits } from "./prediction";
import { assertTrainable, readSavedClassifier } from "./saved-classifier";
import { DIRECTION_WORDS, INTENSIFIERS, NEGATIONS, QUANTITY_WORDS, SENTIMENT_WORDS } from "./sentiment-lexicon";
import type { LabeledText, Prediction, SavedClassifier, TextClassifier } from "./text-classifier";
import { tokenize } from "./tokenize";

/** Names of the three sentiment labels, as the dataset spells them. */
export interface SentimentLabels {
  positive: string;
  neutral: string;
  negative: string;
}

export interface LexiconSentimentOptions {
  /** @defaultValue { positive: "Positive", neutral: "Neutral", negative: "Negative" } */
  labels?: SentimentLabels;
  /** A text scoring at least this is positive. @defaultValue 0.75 */
  positiveThreshold?: number;
  /** A text scoring at most this is negative. @defaultValue -0.75 */
  negativeThreshold?: number;
  /** How many tokens after "not", "no", "n't"… have their polarity flipped. @defaultValue 3 */
  negationWindow?: number;
  /** Extra or overriding sentiment words and their scores (e.g. { "recall": -1 }). */
  words?: Record<string, number>;
}

/** A saved lexicon sentiment model: thresholds, labels and any extra words. */
export interface SavedLexiconSentiment extends SavedClassifier {
  kind: "lexicon-sentiment";
  words: [string, number][];
}

const DEFAULT_LABELS: SentimentLabels = { positive: "Positive", neutral: "Neutral", negative: "Negative" };
// Window, in tokens, in which a direction word ("fell") looks for the amount it moved ("profit").
const PAIR_BEFORE = 4;
const PAIR_AFTER = 3;
const UNPAIRED_AMOUNT = 0.5;
const INTENSITY = 1.5;

function nearestAmount(tokens: readonly string[], at: number): number | undefined {
  for (let distance = 1; distance <= PAIR_BEFORE; distance++) {
    const before = at - distance >= 0 ? QUANTITY_WORDS.get(tokens[at - distance]!) : undefined;
    if (before !== undefined) return at - distance;
    const after = distance <= PAIR_AFTER ? QUANTITY_WORDS.get(tokens[at + distance] ?? "") : undefined;
    if (after !== undefined) return at + distance;
  }
  return undefined;
}

/**
 * Sentiment score of `text`: sentiment words count ±1; a direction word counts its direction times the polarity of
 * the amount it moved ("loss narrowed" = +1), or its direction alone; an amount no direction word moved counts
 * ±0.5. Negation flips, an intensifier multiplies by 1.5.
 */
export function lexiconScore(text: string, negationWindow = 3, words: ReadonlyMap<string, number> = new Map()): number {
  const tokens = tokenize(text);
  const paired = new Set<number>();
  const signs = new Int8Array(tokens.length);
  let score = 0;
  let negatedUntil = -1;
  let intensity = 1;
  tokens.forEach((token, i) => {
    signs[i] = i <= negatedUntil ? -1 : 1;
    if (NEGATIONS.has(token) || token.endsWith("n't")) {
      negatedUntil = i + negationWindow;
      return;
    }
    if (INTENSIFIERS.has(token)) {
      intensity = INTENSITY;
      return;
    }
    let value = words.get(token);
    if (value === undefined) {
      const direction = DIRECTION_WORDS.get(token);
      if (direction !== undefined) {
        const amount = nearestAmount(tokens, i);
        if (amount !== undefined) paired.add(amount);
        value = direction * (amount === undefined ? 1 : QUANTITY_WORDS.get(tokens[amount]!)!);
      } else value = SENTIMENT_WORDS.get(token);
    }
    if (value === undefined) return;
    score += signs[i]! * intensity * value;
    intensity = 1;
  });
  tokens.forEach((token, i) => {
    const amount = QUANTITY_WORDS.get(token);
    if (amount !== undefined && !paired.has(i) && !words.has(token)) score += signs[i]! * UNPAIRED_AMOUNT * amount;
  });
  return score;
}

/** A Positive / Neutral / Negative classifier from a built-in finance/news lexicon, with negation; no training. */
export function createLexiconSentiment(options: LexiconSentimentOptions = {}): TextClassifier<SavedLexiconSentiment> {
  const names = options.labels ?? DEFAULT_LABELS;
  const positiveThreshold = options.positiveThreshold ?? 0.75;
  const negativeThreshold = options.negativeThreshold ?? -0.75;
  const negationWindow = options.negationWindow ?? 3;
  const words = new Map(Object.entries(options.words ?? {}));
  if (negativeThreshold > positiveThreshold) {
    throw new MlopsError("LOCAL_MODEL_OPTIONS", "negativeThreshold must not exceed positiveThreshold.", {
      context: { positiveThreshold, negativeThreshold },
    });
  }
  const labels = [names.negative, names.neutral, names.positive];
  const params = {
    positiveThreshold,
    negativeThreshold,
    negationWindow,
    positiveLabel: names.positive,
    neutralLabel: names.neutral,
    negativeLabel: names.negative,
    lexiconSize: SENTIMENT_WORDS.size + DIRECTION_WORDS.size + QUANTITY_WORDS.size + words.size,
    extraWords: words.size,
  };

  const predict = (text: string): Prediction => {
    const score = lexiconScore(text, negationWindow, words);
    // Margins past each threshold, so the softmax agrees with the threshold rule.
    const logits = Float64Array.of(
      negativeThreshold - score,
      Math.min(positiveThreshold - score, score - negativeThreshold),
      score - positiveThreshold,
    );
    const prediction = predictionFromLogits(labels, logits);
    const label =
      score >= positiveThreshold ? names.positive : score <= negativeThreshold ? names.negative : names.neutral;
    return { ...prediction, label, confidence: prediction.scores[label]! };
  };
  return {
    labels,
    predict,
    predictBatch: (texts) => texts.map(predict),
    describe: () => ({ name: "local/lexicon-sentiment", kind: "lexicon-sentiment", params: { ...params } }),
    toJSON: (): SavedLexiconSentiment => ({
      format: "mlops-local-classifier",
      version: 1,
      kind: "lexicon-sentiment",
      labels: [...labels],
      params: { ...params },
      words: [...words],
    }),
  };
}

/**
 * Fits the two thresholds to labelled texts (maximising accuracy over candidate cut points of the lexicon
 * scores); the lexicon itself is unchanged.
 */
export function trainLexiconSentiment(
  examples: readonly LabeledText[],
  options: LexiconSentimentOptions = {},
): TextClassifier<SavedLexiconSentiment> {
  const names = options.labels ?? DEFAULT_LABELS;
  assertTrainable([...new Set(examples.map((e) => e.label))], examples.length, "local/lexicon-sentiment");
  const negationWindow = options.negationWindow ?? 3;
  const words = new Map(Object.entries(options.words ?? {}));
  const scores = examples.map((e) => lexiconScore(e.text, negationWindow, words));
  const candidates = [...new Set(scores)].sort((a, b) => a - b);
  const cuts = [candidates[0]! - 1, ...candidates.slice(1).map((s, i) => (s + candidates[i]!) / 2)];
  cuts.push(candidates.at(-1)! + 1);
  let best = { correct: -1, negative: -0.75, positive: 0.75 };
  for (const negative of cuts) {
    for (const positive of cuts) {
      if (positive < negative) continue;
      let correct = 0;
      scores.forEach((score, i) => {
        const label = score >= positive ? names.positive : score <= negative ? names.negative : names.neutral;
        if (label === examples[i]!.label) correct++;
      });
      if (correct > best.correct) best = { correct, negative, positive };
    }
  }
  return createLexiconSentiment({ ...options, positiveThreshold: best.positive, negativeThreshold: best.negative });
}

/** Rebuilds a lexicon model saved with `toJSON()`. */
export function lexiconSentimentFromJSON(json: unknown): TextClassifier<SavedLexiconSentiment> {
  const saved = readSavedClassifier<SavedLexiconSentiment>(json, "lexicon-sentiment", ["words"]);
  const p = saved.params;
  return createLexiconSentiment({
    labels: { positive: String(p.positiveLabel), neutral: String(p.neutralLabel), negative: String(p.negativeLabel) },
    positiveThreshold: Number(p.positiveThreshold),
    negativeThreshold: Number(p.negativeThreshold),
    negationWindow: Number(p.negationWindow),
    words: Object.fromEntries(saved.words),
  });
}
