import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { classifySql, formatTableName, parseTableName, type TableName } from "@mlops/lakehouse";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { topologicalOrder } from "../dag/build-dag";
import { tableReferences } from "../dag/sql-references";
import { PipelineError } from "../errors";
import { type PipelineSpec, pipelineSpecSchema, type TableSpec } from "./pipeline-spec";

/** The folder of the ready-made pipelines shipped with the product (`news`, `churn`). */
export const BUILTIN_SPECS_FOLDER = fileURLToPath(new URL("../../specs", import.meta.url));

/** One table of a resolved pipeline: its full name, what it reads and how it is made. */
export interface PipelineStep {
  /** The step name: the table part of its name, unique in the pipeline. */
  name: string;
  table: TableName;
  /** `catalog.schema.table`. */
  tableName: string;
  kind: "sql" | "source" | "score";
  spec: TableSpec;
  /** Absolute path of the source file (source steps). */
  sourcePath: string | undefined;
  /** Steps of this pipeline it reads. */
  dependsOn: string[];
  /** Tables it reads that no step of this pipeline makes. */
  externalInputs: string[];
}

/** A validated pipeline with names resolved and steps in DAG order. */
export interface ResolvedPipeline {
  name: string;
  spec: PipelineSpec;
  /** Steps in an order where every step follows the steps it reads. */
  steps: PipelineStep[];
  /** SHA-256 of the spec's canonical content and resolved sources. */
  digest: string;
  /** Where relative source paths were resolved from. */
  baseDir: string;
}

export interface LoadSpecOptions {
  /** Directory relative source paths are resolved against. @defaultValue the spec file's directory */
  baseDir?: string;
  /** Replace a source step's file: step name (or `source` when the pipeline has one source step) → path. */
  sources?: Record<string, string>;
  /** Where the text came from, for error messages. */
  origin?: string;
}

function specError(origin: string, problems: string[]): PipelineError {
  return new PipelineError(
    "PIPELINE_SPEC_INVALID",
    `Invalid pipeline spec (${origin}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    { hint: "Fix the spec; each problem names its path in the YAML.", context: { origin, problems } },
  );
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)),
    "",
  );
}

function issues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${pathOf(i.path) || "(spec)"}: ${i.message}`);
}

/** Reads a pipeline by built-in name (`news`, `churn`) or by path to a YAML file. */
export function readSpecFile(nameOrPath: string, cwd: string = process.cwd()): { text: string; path: string } {
  const builtin = join(BUILTIN_SPECS_FOLDER, `${nameOrPath}.yaml`);
  const candidates = /^[a-z][a-z0-9_-]*$/.test(nameOrPath) ? [builtin, resolve(cwd, nameOrPath)] : [];
  candidates.push(resolve(cwd, nameOrPath));
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) {
    throw new PipelineError("PIPELINE_NOT_FOUND", `No pipeline ${JSON.stringify(nameOrPath)}`, {
      hint: `Give a spec file path, or a built-in pipeline: ${builtinPipelineNames().join(", ")}.`,
      context: { given: nameOrPath },
    });
  }
  return { text: readFileSync(path, "utf8"), path };
}

/** Names of the ready-made pipelines. */
export function builtinPipelineNames(): string[] {
  return ["churn", "news"];
}

/** Loads, validates and resolves a spec from a built-in name or a file path. */
export function loadPipeline(nameOrPath: string, options: Omit<LoadSpecOptions, "origin"> & { cwd?: string } = {}) {
  const { text, path } = readSpecFile(nameOrPath, options.cwd);
  return parsePipeline(text, { baseDir: dirname(path), ...options, origin: path });
}

/**
 * Parses YAML text into a {@link ResolvedPipeline}: zod validation (errors name the YAML path), SQL checked to be
 * a single read-only SELECT, dependencies derived from the tables the SQL reads, steps in DAG order.
 * @throws PipelineError `PIPELINE_SPEC_INVALID`, `PIPELINE_CYCLE`
 */
export function parsePipeline(text: string, options: LoadSpecOptions = {}): ResolvedPipeline {
  const origin = options.origin ?? "spec";
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw specError(origin, [`not valid YAML: ${(cause as Error).message}`]);
  }
  const parsed = pipelineSpecSchema.safeParse(raw);
  if (!parsed.success) throw specError(origin, issues(parsed.error));
  const spec = parsed.data;
  const baseDir = options.baseDir ?? process.cwd();
  const problems: string[] = [];

  const fullName = (t: TableSpec, k: number): TableName | undefined => {
    try {
      const parts = t.name.split(".").length;
      const name = parseTableName(t.name, { catalog: spec.catalog, schema: spec.schemas[t.layer] });
      if (parts === 2) problems.push(`tables[${k}].name: write catalog.schema.table or a short name, not two parts`);
      return name;
    } catch (error) {
      problems.push(`tables[${k}].name: ${(error as Error).message}`);
      return undefined;
    }
  };
  const names = spec.tables.map(fullName);
  const stepNames = names.map((n) => n?.table ?? "");
  stepNames.forEach((n, k) => {
    if (n && stepNames.indexOf(n) !== k) problems.push(`tables[${k}].name: another table is also called ${n}`);
  });
  const byFullName = new Map(names.flatMap((n, k) => (n ? [[formatTableName(n), stepNames[k]!] as const] : [])));

  const sourceSteps = spec.tables.filter((t) => t.source !== undefined);
  const overrides = { ...options.sources };
  if (overrides.source !== undefined && sourceSteps.length === 1) {
    overrides[names[spec.tables.indexOf(sourceSteps[0]!)]?.table ?? ""] = overrides.source;
  }
  for (const key of Object.keys(overrides)) {
    if (key !== "source" && !stepNames.includes(key)) problems.push(`sources.${key}: no step of that name`);
  }

  const steps: PipelineStep[] = [];
  spec.tables.forEach((t, k) => {
    const table = names[k];
    if (!table) return;
    const at = `tables[${k}]`;
    const reads: string[] = [];
    if (t.sql !== undefined) {
      const classification = classifySql(t.sql);
      if (classification.statements.length !== 1 || classification.verdict !== "read") {
        problems.push(`${at}.sql: must be one read-only SELECT (${classification.reasons.join("; ")})`);
      }
      for (const parts of tableReferences(t.sql)) {
        if (parts.length === 3) reads.push(parts.join("."));
        else if (stepNames.includes(parts[parts.length - 1]!)) {
          problems.push(`${at}.sql: refer to ${parts.join(".")} by its full name catalog.schema.table`);
        }
      }
    }
    if (t.score !== undefined) {
      try {
        reads.push(formatTableName(parseTableName(t.score.from)));
      } catch (error) {
        problems.push(`${at}.score.from: ${(error as Error).message}`);
      }
    }
    for (const [e, expectation] of t.expectations.entries()) {
      const check = classifySql(`SELECT * FROM t WHERE (${expectation.condition})`);
      if (check.statements.length !== 1 || check.verdict !== "read") {
        problems.push(`${at}.expectations[${e}].condition: must be a boolean SQL expression`);
      }
    }
    const override = overrides[table.table];
    const sourcePath =
      t.source === undefined
        ? undefined
        : override !== undefined
          ? resolve(override)
          : isAbsolute(t.source.path)
            ? t.source.path
            : resolve(baseDir, t.source.path);
    if (override !== undefined && t.source === undefined) problems.push(`sources.${table.table}: not a source step`);
    const dependsOn = [...new Set(reads.flatMap((r) => (byFullName.has(r) ? [byFullName.get(r)!] : [])))];
    if (dependsOn.includes(table.table)) problems.push(`${at}.sql: a table cannot read itself`);
    steps.push({
      name: table.table,
      table,
      tableName: formatTableName(table),
      kind: t.sql !== undefined ? "sql" : t.source !== undefined ? "source" : "score",
      spec: t,
      sourcePath,
      dependsOn: dependsOn.filter((d) => d !== table.table),
      externalInputs: [...new Set(reads.filter((r) => !byFullName.has(r)))],
    });
  });
  if (problems.length > 0) throw specError(origin, problems);

  const ordered = topologicalOrder(steps);
  const digest = createHash("sha256")
    .update(JSON.stringify({ spec, sources: ordered.map((s) => s.sourcePath ?? null) }))
    .digest("hex");
  return { name: spec.name, spec, steps: ordered, digest, baseDir };
}

/** The step called `name`. @throws PipelineError `PIPELINE_UNKNOWN_STEP` */
export function stepNamed(pipeline: ResolvedPipeline, name: string): PipelineStep {
  const step = pipeline.steps.find((s) => s.name === name || s.tableName === name);
  if (!step) {
    throw new PipelineError("PIPELINE_UNKNOWN_STEP", `Pipeline ${pipeline.name} has no step ${JSON.stringify(name)}`, {
      hint: `Steps: ${pipeline.steps.map((s) => s.name).join(", ")}.`,
      context: { pipeline: pipeline.name, step: name },
    });
  }
  return step;
}
