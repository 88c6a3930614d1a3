import type { ScoredPrediction } from "../store/experiment-store";

/** One scored test item of one model, as the predictions artifacts list it. */
export interface PredictionRecord {
  item: number;
  text: string;
  goldCategory: string;
  predictedCategory: string | null;
  goldSentiment: string | null;
  predictedSentiment: string | null;
  correct: boolean;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  cached: boolean;
}

/** Joins a model's stored predictions with the test items' text; `correct` is judged on the primary task. */
export function predictionRecords(
  predictions: readonly ScoredPrediction[],
  texts: ReadonlyMap<number, string>,
  primaryTask: "category" | "sentiment",
): PredictionRecord[] {
  return predictions.map((p) => {
    const gold = primaryTask === "category" ? p.goldCategory : p.goldSentiment;
    const guess = primaryTask === "category" ? p.category : p.sentiment;
    return {
      item: p.itemIdx,
      text: texts.get(p.itemIdx) ?? "",
      goldCategory: p.goldCategory,
      predictedCategory: p.category,
      goldSentiment: p.goldSentiment,
      predictedSentiment: p.sentiment,
      correct: guess !== null && guess === gold,
      latencyMs: p.latencyMs,
      promptTokens: p.promptTokens,
      completionTokens: p.completionTokens,
      costUsd: p.costUsd,
      cached: p.cached,
    };
  });
}

const COLUMNS: { header: string; of: (r: PredictionRecord) => string | number | boolean | null }[] = [
  { header: "item", of: (r) => r.item },
  { header: "text", of: (r) => r.text },
  { header: "gold_category", of: (r) => r.goldCategory },
  { header: "predicted_category", of: (r) => r.predictedCategory },
  { header: "gold_sentiment", of: (r) => r.goldSentiment },
  { header: "predicted_sentiment", of: (r) => r.predictedSentiment },
  { header: "correct", of: (r) => r.correct },
  { header: "latency_ms", of: (r) => r.latencyMs },
  { header: "prompt_tokens", of: (r) => r.promptTokens },
  { header: "completion_tokens", of: (r) => r.completionTokens },
  { header: "cost_usd", of: (r) => r.costUsd },
  { header: "cached", of: (r) => r.cached },
];

function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row; an unreadable answer is an empty predicted label. */
export function predictionsCsv(records: readonly PredictionRecord[]): string {
  const lines = [COLUMNS.map((c) => c.header).join(",")];
  for (const r of records) lines.push(COLUMNS.map((c) => csvField(c.of(r))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** The same records as a JSON array (null for an unreadable answer). */
export function predictionsJson(records: readonly PredictionRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}
