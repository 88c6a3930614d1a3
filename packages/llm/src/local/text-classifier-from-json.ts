import { MlopsError } from "@mlops/core";
import { lexiconSentimentFromJSON } from "./lexicon-sentiment";
import { naiveBayesFromJSON } from "./naive-bayes";
import type { LocalModelKind, TextClassifier } from "./text-classifier";
import { tfidfLogRegFromJSON } from "./tfidf-logreg";

const LOADERS: Record<LocalModelKind, (json: unknown) => TextClassifier> = {
  "tfidf-logreg": tfidfLogRegFromJSON,
  "naive-bayes": naiveBayesFromJSON,
  "lexicon-sentiment": lexiconSentimentFromJSON,
};

/** Rebuilds any local model from the JSON its `toJSON()` produced (e.g. a downloaded MLflow artifact). */
export function textClassifierFromJSON(json: unknown): TextClassifier {
  const kind = (json as { kind?: unknown } | null)?.kind;
  const load = typeof kind === "string" ? LOADERS[kind as LocalModelKind] : undefined;
  if (!load) {
    throw new MlopsError("LOCAL_MODEL_INVALID", `Unknown local model kind ${JSON.stringify(kind)}.`, {
      hint: `Expected one of: ${Object.keys(LOADERS).join(", ")}.`,
      context: { kind },
    });
  }
  return load(json);
}
