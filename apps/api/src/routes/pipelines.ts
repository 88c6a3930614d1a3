import { MlopsError } from "@mlops/core";
import {
  builtinPipelineNames,
  createPipelineStore,
  isPipelineError,
  loadPipeline,
  parsePipeline,
  planPipeline,
} from "@mlops/pipelines";
import type { Stack } from "@mlops/stack";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { handleError } from "../http/http-error";
import { parseBody } from "../http/parse-body";

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A pipeline to plan or run: a built-in name, or a spec's YAML with where its relative paths point. */
const specBody = z.object({
  pipeline: z.string().min(1).describe("Built-in pipeline (news, churn), or the name of the spec in specYaml"),
  specYaml: z.string().min(1).max(1_000_000).optional(),
  baseDir: z.string().min(1).optional(),
  sources: z.record(z.string(), z.string().min(1)).default({}),
  from: z.string().min(1).optional(),
  backfill: z.object({ from: date, to: date }).optional(),
});
const runBody = specBody.extend({
  resume: z.string().min(1).optional(),
  approvalId: z.string().min(1).optional(),
});

const STATUS_BY_CODE: Record<string, 400 | 404 | 409> = {
  PIPELINE_SPEC_INVALID: 400,
  PIPELINE_CYCLE: 400,
  PIPELINE_UNKNOWN_STEP: 400,
  PIPELINE_INVALID_ARGUMENT: 400,
  PIPELINE_NOT_FOUND: 404,
  PIPELINE_RUN_NOT_FOUND: 404,
};

function onError(error: Error, c: Context) {
  if (isPipelineError(error)) return c.json({ error: error.toJSON() }, STATUS_BY_CODE[error.code] ?? 409);
  return handleError(error, c);
}

/**
 * `/v1/pipelines`: the built-in pipelines, plan (nothing runs), run (a `pipeline.run` job), runs with their steps,
 * expectation counts and lineage, and the lineage of a table.
 */
export function pipelineRoutes(stack: Stack) {
  const store = createPipelineStore(stack.database.db);
  const resolve = (body: z.output<typeof specBody>) => {
    const options = { sources: body.sources, ...(body.baseDir ? { baseDir: body.baseDir } : {}) };
    return body.specYaml
      ? parsePipeline(body.specYaml, { ...options, origin: body.pipeline })
      : loadPipeline(body.pipeline, options);
  };
  const app = new Hono<{ Variables: { user: string } }>();
  app.onError(onError);
  return app
    .get("/v1/pipelines", (c) =>
      c.json({
        pipelines: builtinPipelineNames().map((name) => {
          const p = loadPipeline(name);
          return { name, description: p.spec.description ?? null, steps: p.steps.map((s) => s.tableName) };
        }),
      }),
    )
    .post("/v1/pipelines/plan", async (c) => {
      const body = await parseBody(c, specBody);
      const plan = await planPipeline(resolve(body), {
        lakehouse: await stack.lakehouse(),
        from: body.from,
        backfill: body.backfill,
      });
      return c.json(plan);
    })
    .post("/v1/pipelines/runs", async (c) => {
      const body = await parseBody(c, runBody);
      resolve(body); // a bad spec is a 400 now, not a failed job later
      const record = await stack.jobs.enqueue("pipeline.run", body, { requestedBy: c.get("user") ?? "api" });
      return c.json(record, 202);
    })
    .get("/v1/pipelines/runs", async (c) => {
      const limit = Math.min(Number(c.req.query("limit") ?? 20) || 20, 200);
      const pipeline = c.req.query("pipeline");
      return c.json({ runs: await store.listRuns({ limit, ...(pipeline ? { pipeline } : {}) }) });
    })
    .get("/v1/pipelines/runs/:id", async (c) => {
      const run = await store.getRun(c.req.param("id"));
      if (!run) throw new MlopsError("NOT_FOUND", `No pipeline run ${c.req.param("id")}`);
      return c.json(run);
    })
    .get("/v1/pipelines/lineage/:table", async (c) => c.json({ lineage: await store.lineage(c.req.param("table")) }));
}
