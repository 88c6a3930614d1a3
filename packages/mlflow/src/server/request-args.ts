import type { Context } from "hono";
import { invalidParameter, MlflowError } from "../errors/mlflow-error";
import type { Tag } from "../wire/entities";

/** Fields that MLflow's GET endpoints accept repeated in the query string. */
const REPEATED = new Set(["experiment_ids", "order_by"]);

/**
 * A request's arguments the way MLflow reads them: the query string for GET, the JSON body otherwise (DELETE
 * requests may carry either).
 */
export async function readArgs(c: Context): Promise<Args> {
  const values: Record<string, unknown> = {};
  const url = new URL(c.req.url);
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    values[key] = REPEATED.has(key) ? all : all[0];
  }
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const text = await c.req.text();
    if (text.trim()) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new MlflowError(
          "MALFORMED_REQUEST",
          `Malformed request body: could not parse JSON: ${text.slice(0, 200)}`,
          {
            status: 400,
          },
        );
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new MlflowError("MALFORMED_REQUEST", "Malformed request body: expected a JSON object.", { status: 400 });
      }
      Object.assign(values, body);
    }
  }
  return new Args(values);
}

const missing = (name: string) =>
  invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );

/** Typed access to request arguments, with MLflow's messages for missing or mistyped ones. */
export class Args {
  constructor(readonly values: Record<string, unknown>) {}

  private present(name: string): unknown {
    const value = this.values[name];
    return value === null || value === "" ? undefined : value;
  }

  string(name: string, ...aliases: string[]): string {
    const value = this.optionalString(name, ...aliases);
    if (value === undefined) throw missing(name);
    return value;
  }

  optionalString(name: string, ...aliases: string[]): string | undefined {
    for (const key of [name, ...aliases]) {
      const value = this.present(key);
      if (value === undefined) continue;
      if (typeof value === "string") return value;
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      throw invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${key}' supplied.`);
    }
    return undefined;
  }

  /** The raw value, for fields where an empty string is meaningful (tag and param values). */
  text(name: string): string {
    const value = this.values[name];
    if (value === undefined || value === null) throw missing(name);
    if (typeof value === "object") throw invalidParameter(`Invalid value for parameter '${name}' supplied.`);
    return String(value);
  }

  number(name: string): number {
    const value = this.optionalNumber(name);
    if (value === undefined) throw missing(name);
    return value;
  }

  optionalNumber(name: string): number | undefined {
    const value = this.present(name);
    if (value === undefined) return undefined;
    const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
    if (Number.isNaN(n) && value !== "NaN") {
      throw invalidParameter(`Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied.`);
    }
    return n;
  }

  stringList(name: string): string[] | undefined {
    const value = this.present(name);
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    return list.map(String);
  }

  tags(name = "tags"): Tag[] {
    return this.objects(name).map((t) => ({ key: String(t.key ?? ""), value: String(t.value ?? "") }));
  }

  objects(name: string): Record<string, unknown>[] {
    const value = this.present(name);
    if (value === undefined) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "object" || v === null)) {
      throw invalidParameter(`Invalid value for parameter '${name}': expected a list of objects.`);
    }
    return value as Record<string, unknown>[];
  }
}
