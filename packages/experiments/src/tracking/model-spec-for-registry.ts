import { createLexiconSentiment, type LabeledText, trainNaiveBayes, trainTfidfLogReg } from "@mlops/llm";
import type { Task } from "../models/model-zoo";
import type { ExperimentReport } from "../run/summarize-experiment";
import type { ExperimentStore } from "../store/experiment-store";

/**
 * A model version's spec as the registry stores it (`model/spec.json`): an endpoint model names its endpoint, model
 * and prompt version; a local model carries the classifier retrained here on the experiment's training items with
 * its seed, which is the same model the experiment scored (local training is deterministic for a seed).
 */
export type RegistrableModelSpec =
  | {
      kind: "endpoint";
      endpoint: string;
      model: string;
      promptTemplateVersion: string;
      task: string;
      labels: string[];
      parameters: Record<string, unknown>;
    }
  | {
      kind: "local";
      model: string;
      trained: Record<string, unknown>;
      task: string;
      labels: string[];
      parameters: Record<string, unknown>;
    };

export async function modelSpecForRegistry(
  store: ExperimentStore,
  report: ExperimentReport,
  model: string,
): Promise<RegistrableModelSpec | undefined> {
  const row = (await store.models(report.experimentId)).find((m) => m.model === model);
  const experiment = await store.get(report.experimentId);
  const seed = Number((experiment.spec as { seed?: number }).seed ?? 42);
  const task: Task = report.primaryTask;
  const labels = report.dataset?.labels[task] ?? [];
  if (!row || labels.length === 0) return undefined;
  if (row.kind === "llm") {
    const info = (row.info ?? {}) as { model?: string };
    return {
      kind: "endpoint",
      endpoint: row.endpoint ?? model,
      model: info.model ?? model,
      promptTemplateVersion: report.promptVersion ?? "unknown",
      task,
      labels,
      parameters: { seed },
    };
  }
  let trained: Record<string, unknown>;
  if (model === "local/lexicon-sentiment") {
    const find = (name: string) => labels.find((l) => l.toLowerCase() === name) ?? name;
    trained = createLexiconSentiment({
      labels: { positive: find("positive"), neutral: find("neutral"), negative: find("negative") },
    }).toJSON() as unknown as Record<string, unknown>;
  } else {
    const examples: LabeledText[] = [];
    for (const item of await store.trainItems(report.experimentId)) {
      const label = task === "category" ? item.category : item.sentiment;
      if (label) examples.push({ text: item.text, label });
    }
    if (examples.length === 0) return undefined;
    const classifier = model === "local/naive-bayes" ? trainNaiveBayes(examples) : trainTfidfLogReg(examples, { seed });
    trained = classifier.toJSON() as unknown as Record<string, unknown>;
  }
  return { kind: "local", model, trained, task, labels, parameters: { seed } };
}
