import { MlopsError } from "@mlops/core";
import type { Context } from "hono";
import type { z } from "zod";

/** Reads and validates a JSON body; a bad body is a 400 naming each bad field. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new MlopsError("REQUEST_INVALID", "The request body is not valid JSON.");
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
    throw new MlopsError("REQUEST_INVALID", `Invalid request body: ${fields}`, {
      context: { issues: result.error.issues },
    });
  }
  return result.data;
}
