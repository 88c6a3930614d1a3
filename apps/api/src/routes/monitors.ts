import {
  createMonitorStore,
  monitorSpecSchema,
  oneOffDriftSchema,
  parseMonitorSpec,
  readResultHistory,
  runOneOffDrift,
} from "@mlops/monitors";
import type { Stack } from "@mlops/stack";
import { Hono } from "hono";
import { z } from "zod";
import { parseBody } from "../http/parse-body";

const createBody = z.object({ spec: monitorSpecSchema, replace: z.boolean().default(false) });

/** Monitor definitions, runs (as `monitor.run` jobs) and results from the gold table. */
export function monitorRoutes(stack: Stack) {
  const store = () => createMonitorStore(stack.database.db);
  return (
    new Hono<{ Variables: { user: string } }>()
      .get("/v1/monitors", async (c) => c.json({ monitors: await store().list() }))
      // A one-off check runs here, where the lakehouse is open (a DuckDB file admits one process).
      .post("/v1/drift", async (c) =>
        c.json(await runOneOffDrift(await stack.lakehouse(), await parseBody(c, oneOffDriftSchema))),
      )
      .post("/v1/monitors", async (c) => {
        const body = await parseBody(c, createBody);
        const saved = await store().save(parseMonitorSpec(body.spec), {
          createdBy: c.get("user"),
          replace: body.replace,
        });
        return c.json(saved, 201);
      })
      .get("/v1/monitors/:name", async (c) => {
        const name = c.req.param("name");
        const monitor = await store().get(name);
        return c.json({ ...monitor, runs: await store().runs(name) });
      })
      .get("/v1/monitors/:name/results", async (c) => {
        const monitor = await store().get(c.req.param("name"));
        const history = await readResultHistory(await stack.lakehouse(), monitor.spec.name, {
          table: monitor.spec.resultsTable,
          statistics: (c.req.query("statistics") ?? "psi").split(","),
          limitRuns: Number(c.req.query("runs") ?? 50) || 50,
        });
        return c.json({ monitor: monitor.spec.name, history });
      })
      .post("/v1/monitors/:name/run", async (c) => {
        const monitor = await store().get(c.req.param("name"));
        const record = await stack.jobs.enqueue(
          "monitor.run",
          { monitor: monitor.spec.name, trigger: "api" },
          { requestedBy: c.get("user") ?? "api" },
        );
        return c.json(record, 202);
      })
  );
}
