import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename, extname } from "node:path";
import type { DatasetInputArgs } from "@mlops/mlflow";

/** What MLflow's dataset lineage records of one file: its name, a content digest and its row count. */
export interface DatasetFacts {
  name: string;
  /** First 16 hex digits of the SHA-256 of the file's bytes (MLflow shows short digests). */
  digest: string;
  rows: number;
  path: string;
}

/** SHA-256 of a file's bytes, streamed. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The dataset's facts; `name` is the bundled name or the file name without its extension. */
export async function datasetFacts(source: string, path: string, rows: number): Promise<DatasetFacts> {
  const name = source.includes("/") || source.includes(".") ? basename(source, extname(source)) : source;
  return { name, digest: (await fileDigest(path)).slice(0, 16), rows, path };
}

/** A `runs/log-inputs` dataset entry: source type `local`, the path as source, the row count as profile. */
export function datasetInput(facts: DatasetFacts, context: "evaluation" | "training"): DatasetInputArgs {
  return {
    dataset: {
      name: facts.name,
      digest: facts.digest,
      source_type: "local",
      source: JSON.stringify({ uri: facts.path }),
      profile: JSON.stringify({ num_rows: facts.rows }),
    },
    tags: [{ key: "mlflow.data.context", value: context }],
  };
}
