import { z } from "zod";

export const LAYERS = ["bronze", "silver", "gold"] as const;
export type Layer = (typeof LAYERS)[number];

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "letters, digits and _, starting with a letter or _")
  .describe("A column name");

const columnSchema = z
  .object({
    name: z.string().min(1).describe("Column name as in the file's header"),
    type: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_ (),]*$/, "a SQL type such as VARCHAR, BIGINT, DOUBLE, DATE")
      .describe("Declared SQL type"),
  })
  .strict();

const expectationSchema = z
  .object({
    name: identifier.describe("Name recorded with the counts"),
    condition: z.string().min(1).describe("SQL boolean expression every good row satisfies (NULL counts as false)"),
    action: z.enum(["warn", "drop", "fail"]).describe("warn: count only; drop: remove the rows; fail: stop the run"),
  })
  .strict();

const csvSourceSchema = z
  .object({
    path: z.string().min(1).describe("CSV file, relative to the spec file"),
    format: z.literal("csv").default("csv"),
    header: z.boolean().default(true),
    delimiter: z.string().length(1).optional(),
  })
  .strict();

const scoreSchema = z
  .object({
    from: z.string().min(1).describe("Input table, catalog.schema.table"),
    idColumn: identifier.describe("Key column carried to the predictions"),
    textColumn: identifier.describe("Column with the text to score"),
    model: z.string().min(1).describe("Registry reference, e.g. main.ml.news_classifier@champion"),
    batchSize: z.number().int().min(1).max(100_000).default(500),
  })
  .strict();

const tableSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .describe("Table name: catalog.schema.table, or short (catalog and the layer's schema added)"),
    layer: z.enum(LAYERS),
    description: z.string().optional(),
    sql: z.string().min(1).optional().describe("A SELECT producing the table; its FROM/JOIN tables are dependencies"),
    source: csvSourceSchema.optional().describe("A file to ingest (bronze)"),
    score: scoreSchema.optional().describe("Batch scoring of a table's text with a registered model"),
    columns: z.array(columnSchema).optional().describe("Declared columns; checked against the source file"),
    expectations: z.array(expectationSchema).default([]),
    mode: z.enum(["append", "merge", "overwrite"]).default("append"),
    keys: z.array(identifier).default([]).describe("Key columns for merge"),
    partitionBy: z.array(identifier).default([]),
    dateColumn: identifier.optional().describe("Column a --backfill FROM..TO range applies to"),
  })
  .strict()
  .superRefine((table, ctx) => {
    const kinds = [table.sql, table.source, table.score].filter((v) => v !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: "custom", message: "give exactly one of sql, source or score" });
    if (table.mode === "merge" && table.keys.length === 0) {
      ctx.addIssue({ code: "custom", path: ["keys"], message: "merge needs at least one key column" });
    }
    if (table.source && table.columns === undefined) {
      ctx.addIssue({ code: "custom", path: ["columns"], message: "a source file needs its declared columns" });
    }
    const names = table.expectations.map((e) => e.name);
    const dup = names.find((n, k) => names.indexOf(n) !== k);
    if (dup) ctx.addIssue({ code: "custom", path: ["expectations"], message: `expectation ${dup} is declared twice` });
  });

/** A declarative medallion pipeline as written in YAML. */
export const pipelineSpecSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]*$/, "lower-case letters, digits, _ or -")
      .describe("Pipeline name"),
    description: z.string().optional(),
    catalog: z.string().min(1).default("main").describe("Unity Catalog catalog for short table names"),
    schemas: z
      .object({ bronze: z.string().min(1), silver: z.string().min(1), gold: z.string().min(1) })
      .strict()
      .default({ bronze: "bronze", silver: "silver", gold: "gold" })
      .describe("Schema of each layer for short table names"),
    tables: z.array(tableSchema).min(1),
  })
  .strict();

export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;
export type PipelineSpec = z.output<typeof pipelineSpecSchema>;
export type TableSpec = PipelineSpec["tables"][number];
export type ExpectationSpec = TableSpec["expectations"][number];
export type ColumnSpec = NonNullable<TableSpec["columns"]>[number];
export type ScoreSpec = NonNullable<TableSpec["score"]>;
