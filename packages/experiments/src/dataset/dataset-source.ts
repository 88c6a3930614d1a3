import { existsSync, statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ExperimentError } from "../experiment-error";

export type DatasetFormat = "csv" | "jsonl";

/** A dataset file the experiment reads: a bundled one by name, or a path. */
export interface DatasetSource {
  /** What the user gave (`sample`, `data/news.csv`). */
  name: string;
  /** Absolute path. */
  path: string;
  format: DatasetFormat;
  bundled: boolean;
}

/** Datasets shipped with the product, by name: `--dataset sample`. */
export const BUNDLED_DATASETS: Readonly<Record<string, string>> = {
  sample: fileURLToPath(new URL("../../datasets/news-sample.csv", import.meta.url)),
  "news-sample": fileURLToPath(new URL("../../datasets/news-sample.csv", import.meta.url)),
};

function formatOf(path: string): DatasetFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  return undefined;
}

/**
 * A bundled dataset name or a CSV/JSONL path (relative to `cwd`), checked to exist.
 * @throws ExperimentError `EXPERIMENT_DATASET_NOT_FOUND` / `EXPERIMENT_DATASET_INVALID`.
 */
export function resolveDatasetSource(nameOrPath: string, cwd: string = process.cwd()): DatasetSource {
  const bundled = BUNDLED_DATASETS[nameOrPath];
  if (bundled) return { name: nameOrPath, path: bundled, format: "csv", bundled: true };
  const path = resolve(cwd, nameOrPath);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new ExperimentError("EXPERIMENT_DATASET_NOT_FOUND", `No dataset "${nameOrPath}" (looked for ${path}).`, {
      hint: `Give a CSV (with a header) or JSONL file, or a bundled dataset: ${Object.keys(BUNDLED_DATASETS).join(", ")}.`,
      context: { dataset: nameOrPath, path },
    });
  }
  const format = formatOf(path);
  if (!format) {
    throw new ExperimentError("EXPERIMENT_DATASET_INVALID", `Dataset ${path} is neither .csv nor .jsonl.`, {
      hint: "Use a CSV file with a header row, or JSON Lines (one object per line, .jsonl).",
      context: { path },
    });
  }
  return { name: nameOrPath, path, format, bundled: false };
}
