import { MlopsError } from "@mlops/core";
import type { LocalModelKind, SavedClassifier } from "./text-classifier";

function invalid(message: string, context: Record<string, unknown> = {}): MlopsError {
  return new MlopsError("LOCAL_MODEL_INVALID", message, {
    hint: "Pass the object that the model's toJSON() produced (JSON.parse of the saved artifact).",
    context,
  });
}

/** Checks the envelope of a saved model and that the fields the loader needs are arrays. */
export function readSavedClassifier<T extends SavedClassifier>(
  json: unknown,
  kind: LocalModelKind,
  arrayFields: readonly (keyof T & string)[],
): T {
  if (typeof json !== "object" || json === null) throw invalid("A saved local model must be a JSON object.");
  const saved = json as Partial<SavedClassifier> & Record<string, unknown>;
  if (saved.format !== "mlops-local-classifier" || saved.version !== 1) {
    throw invalid("Not a saved local model (format mlops-local-classifier, version 1).", {
      format: saved.format,
      version: saved.version,
    });
  }
  if (saved.kind !== kind) throw invalid(`Expected a ${kind} model, got ${String(saved.kind)}.`, { kind: saved.kind });
  for (const field of ["labels", ...arrayFields]) {
    if (!Array.isArray(saved[field])) throw invalid(`A saved ${kind} model needs the array "${field}".`, { field });
  }
  return saved as T;
}

/** Refuses training data a model cannot learn from. */
export function assertTrainable(labels: readonly string[], examples: number, model: string): void {
  if (examples === 0 || labels.length < 2) {
    throw new MlopsError("LOCAL_MODEL_TRAINING_DATA", `${model} needs examples of at least two labels.`, {
      hint: "Check the label column of the training split.",
      context: { examples, labels: [...labels] },
    });
  }
}

/** The distinct labels, sorted (so input order does not change the model), and each example's label index. */
export function indexLabels(labels: readonly string[]): { labels: string[]; targets: Int32Array } {
  const distinct = [...new Set(labels)].sort();
  const index = new Map(distinct.map((label, k) => [label, k]));
  return { labels: distinct, targets: Int32Array.from(labels, (label) => index.get(label)!) };
}
