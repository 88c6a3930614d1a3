import { z } from "zod";
import { governanceSchema } from "./decision/recommend-model";

/** What to compare: the job payload, the HTTP body and the CLI flags all come down to this. */
export const experimentSpecSchema = z.object({
  dataset: z.string().min(1).describe("Bundled dataset name (`sample`) or a CSV/JSONL path"),
  train: z.string().min(1).optional().describe("Separate training file; otherwise a stratified split of the dataset"),
  models: z
    .array(z.string().min(1))
    .min(1)
    .describe("local/tfidf-logreg, local/naive-bayes, local/lexicon-sentiment or LLM endpoint names/aliases"),
  limit: z.number().int().positive().optional().describe("Score at most this many test items"),
  maxCostUsd: z.number().positive().optional().describe("Spend cap in USD; the run stops before exceeding it"),
  labelCol: z.string().min(1).default("category"),
  textCols: z.array(z.string().min(1)).min(1).default(["title", "content"]),
  sentimentCol: z.string().min(1).optional(),
  testFraction: z.number().gt(0).lt(1).default(0.3).describe("Share of the dataset held out for scoring"),
  seed: z.number().int().min(0).default(42).describe("Seeds the split, the training and the bootstrap"),
  prompt: z.string().default("news-zero-shot").describe("Prompt template name"),
  shardSize: z.number().int().positive().optional().describe("Test items per shard job (default: about n/8)"),
  governance: governanceSchema.partial().optional(),
});

export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;

/** Test items per shard: about an eighth of the items, between 25 and 2,000. */
export function defaultShardSize(items: number): number {
  return Math.min(2000, Math.max(25, Math.ceil(items / 8)));
}
