import { type ChatClient, costUsd, estimatePromptTokens } from "@mlops/llm";
import { parseAnswer } from "../prompts/parse-answer";
import { type PromptLabels, type PromptTemplate, renderPrompt } from "../prompts/prompt-template";
import type { PredictionOutcome, Predictor } from "./predictor";

/** Reserves spend before a paid request and settles it after; `reserve` false means the cap would be passed. */
export interface SpendGuard {
  reserve(amountUsd: number): Promise<boolean>;
  settle(deltaUsd: number): Promise<void>;
}

/** Thrown when the next request would pass the experiment's spend cap. */
export class SpendCapReached extends Error {
  constructor(readonly estimateUsd: number) {
    super(`the next request (~$${estimateUsd.toFixed(6)}) would pass the spend cap`);
  }
}

const MAX_TOKENS = 64;

/** An LLM endpoint answering the zero-shot prompt; the answer is parsed tolerantly, unreadable ones are invalid. */
export function createLlmPredictor(options: {
  client: ChatClient;
  template: PromptTemplate;
  labels: PromptLabels;
  spend: SpendGuard;
}): Predictor {
  const { client, template, labels, spend } = options;
  let simulated = false;
  return {
    concurrency: Math.max(1, client.endpoint.maxConcurrency),
    info: () => (simulated ? { simulated: true } : {}),
    async predict(text, signal): Promise<PredictionOutcome> {
      const messages = renderPrompt(template, labels, text);
      const estimate = costUsd(client.endpoint.pricePerMillion, {
        promptTokens: estimatePromptTokens(messages),
        completionTokens: MAX_TOKENS,
      });
      if (estimate > 0 && !(await spend.reserve(estimate))) throw new SpendCapReached(estimate);
      let settled = false;
      try {
        const result = await client.complete({
          messages,
          temperature: 0,
          maxTokens: MAX_TOKENS,
          responseFormat: { type: "json_object" },
          signal,
        });
        if (result.id?.startsWith("chatcmpl-sim-")) simulated = true;
        if (estimate > 0) {
          settled = true;
          await spend.settle(result.costUsd - estimate);
        }
        const parsed = parseAnswer(result.text, labels);
        return {
          category: parsed.category ?? null,
          sentiment: parsed.sentiment ?? null,
          problems: parsed.problems.length > 0 ? parsed.problems.join("; ") : null,
          raw: result.text.slice(0, 2000),
          latencyMs: result.latencyMs,
          promptTokens: result.usage.promptTokens,
          completionTokens: result.usage.completionTokens,
          costUsd: result.costUsd,
          cached: result.cached,
          attempts: Math.max(1, result.attempts.length),
        };
      } finally {
        if (estimate > 0 && !settled) await spend.settle(-estimate);
      }
    },
  };
}
