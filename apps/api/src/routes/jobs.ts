import { MlopsError } from "@mlops/core";
import { isJobName, JOB_CATALOG, type JobName } from "@mlops/queue";
import type { Stack } from "@mlops/stack";
import { Hono } from "hono";
import { z } from "zod";
import { parseBody } from "../http/parse-body";

const enqueueBody = z.object({
  name: z.string().describe("Job name from the catalog"),
  payload: z.record(z.string(), z.unknown()).default({}),
  threadId: z.string().optional(),
});

/** Enqueue, list and inspect jobs. */
export function jobRoutes(stack: Stack) {
  return new Hono<{ Variables: { user: string } }>()
    .get("/v1/jobs/catalog", (c) =>
      c.json({
        jobs: Object.values(JOB_CATALOG).map((d) => ({
          name: d.name,
          queue: d.queue,
          description: d.description,
          attempts: d.attempts,
          timeoutMs: d.timeoutMs,
          payload: z.toJSONSchema(d.payload),
        })),
      }),
    )
    .post("/v1/jobs", async (c) => {
      const body = await parseBody(c, enqueueBody);
      if (!isJobName(body.name)) {
        throw new MlopsError("JOB_UNKNOWN", `Unknown job "${body.name}".`, {
          hint: `Known jobs: ${Object.keys(JOB_CATALOG).join(", ")}.`,
        });
      }
      const record = await stack.jobs.enqueue(body.name as JobName, body.payload as never, {
        requestedBy: c.get("user") ?? "api",
        ...(body.threadId ? { threadId: body.threadId } : {}),
      });
      return c.json(record, 202);
    })
    .get("/v1/jobs", async (c) => {
      const limit = Math.min(Number(c.req.query("limit") ?? 50) || 50, 500);
      return c.json({ jobs: await stack.jobs.list(limit) });
    })
    .get("/v1/jobs/:id", async (c) => c.json(await stack.jobs.get(c.req.param("id"))));
}
