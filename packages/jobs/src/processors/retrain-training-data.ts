import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { Lakehouse } from "@mlops/lakehouse";
import type { RetrainTarget } from "./retrain-targets";

/** A training file on local disk, and how to remove it when it was written for this retraining. */
export interface TrainingFile {
  path: string;
  /** Rows written (lakehouse tables; undefined for a given file). */
  rows: number | undefined;
  source: string;
  cleanup(): void;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text =
    value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The retraining data as a file the experiment reads: a configured path as it is, or a lakehouse table streamed
 * (batch by batch, never all in memory) into a temporary CSV.
 */
export async function materialiseTrainingData(
  target: RetrainTarget,
  options: { lakehouse: () => Promise<Lakehouse>; cwd?: string; tempDir?: string },
): Promise<TrainingFile> {
  const data = target.data;
  if ("path" in data) {
    const path = isAbsolute(data.path) ? data.path : resolve(options.cwd ?? process.cwd(), data.path);
    return { path, rows: undefined, source: path, cleanup: () => {} };
  }
  const lakehouse = await options.lakehouse();
  const dir = mkdtempSync(join(options.tempDir ?? tmpdir(), "mlops-retrain-"));
  const path = join(dir, `${data.table.replace(/\W+/g, "_")}.csv`);
  const out = createWriteStream(path, { encoding: "utf8" });
  let columns: string[] | undefined;
  let rows = 0;
  const sql = `SELECT * FROM ${data.table}${data.where ? ` WHERE ${data.where}` : ""}${data.limit ? ` LIMIT ${data.limit}` : ""}`;
  try {
    for await (const batch of lakehouse.stream<Record<string, unknown>>(sql)) {
      const lines: string[] = [];
      for (const row of batch) {
        if (!columns) {
          columns = Object.keys(row);
          lines.push(columns.map(csvField).join(","));
        }
        lines.push(columns.map((c) => csvField(row[c])).join(","));
        rows++;
      }
      if (lines.length > 0 && !out.write(`${lines.join("\n")}\n`)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
  } catch (error) {
    out.destroy();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    path,
    rows,
    source: `${data.table}${data.where ? ` WHERE ${data.where}` : ""}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
