import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ExperimentError } from "../experiment-error";
import type { DatasetColumns } from "./dataset-columns";
import type { DatasetSource } from "./dataset-source";
import { readCsvRows } from "./read-csv-stream";

/** One usable row: its text and labels. `row` is the 1-based data row (CSV: header not counted; JSONL: line). */
export interface DatasetRow {
  row: number;
  text: string;
  /** The label of `--label-col` (for a sentiment-only dataset, point it at the sentiment column). */
  category: string;
  sentiment: string | undefined;
}

/** A row left out, and why: reported to the user, never dropped silently. */
export interface SkippedRow {
  row: number;
  reason: string;
}

export type DatasetRecord = { kind: "row"; value: DatasetRow } | { kind: "skipped"; value: SkippedRow };

function missingColumns(available: string[], columns: DatasetColumns, source: DatasetSource): never {
  const wanted = [columns.labelCol, ...columns.textCols, ...(columns.sentimentCol ? [columns.sentimentCol] : [])];
  const missing = wanted.filter((c) => !available.includes(c));
  throw new ExperimentError(
    "EXPERIMENT_DATASET_INVALID",
    `Dataset ${source.path} has no column ${missing.map((m) => `"${m}"`).join(", ")}. Its columns: ${available.join(", ") || "(none)"}.`,
    {
      hint: "Name the columns with --label-col, --text-cols A,B and --sentiment-col.",
      context: { path: source.path, missing, available },
    },
  );
}

function toRecord(row: number, get: (column: string) => unknown, columns: DatasetColumns): DatasetRecord {
  const str = (value: unknown) => (value === undefined || value === null ? "" : String(value).trim());
  const parts = columns.textCols.map((c) => str(get(c))).filter((p) => p !== "");
  const category = str(get(columns.labelCol));
  const sentiment = columns.sentimentCol ? str(get(columns.sentimentCol)) : undefined;
  const problems: string[] = [];
  if (parts.length === 0) problems.push(`no text in ${columns.textCols.join(", ")}`);
  if (category === "") problems.push(`no label in ${columns.labelCol}`);
  if (columns.sentimentCol && sentiment === "") problems.push(`no sentiment in ${columns.sentimentCol}`);
  if (problems.length > 0) return { kind: "skipped", value: { row, reason: problems.join("; ") } };
  return { kind: "row", value: { row, text: parts.join("\n"), category, sentiment: sentiment || undefined } };
}

/**
 * Streams the rows of a CSV (with a header) or JSONL dataset. Rows with a missing text or label come out as
 * `skipped` with their row number. A missing column fails at once, listing the columns there are.
 */
export async function* readDatasetRows(source: DatasetSource, columns: DatasetColumns): AsyncGenerator<DatasetRecord> {
  if (source.format === "csv") {
    let header: string[] | undefined;
    let index: Map<string, number> = new Map();
    let row = 0;
    for await (const fields of readCsvRows(source.path)) {
      if (!header) {
        header = fields.map((f) => f.trim());
        index = new Map(header.map((name, i) => [name, i]));
        const needed = [columns.labelCol, ...columns.textCols, ...(columns.sentimentCol ? [columns.sentimentCol] : [])];
        if (needed.some((c) => !index.has(c))) missingColumns(header, columns, source);
        continue;
      }
      row++;
      if (fields.length === 1 && fields[0] === "") continue;
      yield toRecord(row, (c) => (index.has(c) ? fields[index.get(c)!] : undefined), columns);
    }
    if (!header) throw emptyDataset(source);
    return;
  }
  const lines = createInterface({ input: createReadStream(source.path, { encoding: "utf8" }), crlfDelay: Infinity });
  let row = 0;
  let checked = false;
  for await (const line of lines) {
    row++;
    if (line.trim() === "") continue;
    let object: unknown;
    try {
      object = JSON.parse(line);
    } catch {
      yield { kind: "skipped", value: { row, reason: "not valid JSON" } };
      continue;
    }
    if (!object || typeof object !== "object" || Array.isArray(object)) {
      yield { kind: "skipped", value: { row, reason: "not a JSON object" } };
      continue;
    }
    const record = object as Record<string, unknown>;
    if (!checked) {
      checked = true;
      const keys = Object.keys(record);
      const hasSentiment = !columns.sentimentCol || columns.sentimentCol in record;
      if (!(columns.labelCol in record) || !hasSentiment || !columns.textCols.some((c) => c in record))
        missingColumns(keys, columns, source);
    }
    yield toRecord(row, (c) => record[c], columns);
  }
}

function emptyDataset(source: DatasetSource): ExperimentError {
  return new ExperimentError("EXPERIMENT_DATASET_EMPTY", `Dataset ${source.path} is empty.`, {
    hint: "A CSV needs a header row and at least a few labelled rows.",
    context: { path: source.path },
  });
}
