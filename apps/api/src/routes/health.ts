import { formatError } from "@mlops/core";
import { checkRedis } from "@mlops/queue";
import { type ComponentCheck, checkTracking, runDoctor, type Stack } from "@mlops/stack";
import { Hono } from "hono";

async function databaseCheck(stack: Stack): Promise<ComponentCheck> {
  const target =
    stack.database.kind === "postgres"
      ? `PostgreSQL at ${stack.database.location}`
      : `PGlite in ${stack.database.location}`;
  try {
    await stack.database.sql.query("select 1");
    return { component: "database", ok: true, target, detail: `open in the API process (pid ${process.pid})` };
  } catch (error) {
    return { component: "database", ok: false, target, detail: formatError(error) };
  }
}

/** `/healthz`: the process is alive. `/readyz`: each component answers. `/v1/doctor`: the full report. */
export function healthRoutes(stack: Stack, info: { version: string; embeddedWorker: boolean }) {
  return new Hono()
    .get("/healthz", (c) => c.json({ ok: true, service: "mlops-api", version: info.version, pid: process.pid }))
    .get("/readyz", async (c) => {
      const checks = [
        await databaseCheck(stack),
        await checkRedis(stack.config.redisUrl).then(
          (r): ComponentCheck => ({ component: "redis", ok: true, target: r.url, detail: `Redis ${r.version}` }),
          (error): ComponentCheck => ({
            component: "redis",
            ok: false,
            target: stack.config.redisUrl,
            detail: formatError(error),
          }),
        ),
      ];
      const ok = checks.every((check) => check.ok);
      return c.json({ ok, embeddedWorker: info.embeddedWorker, checks }, ok ? 200 : 503);
    })
    .get("/v1/doctor", async (c) => {
      const report = await runDoctor(stack.config, {
        database: await databaseCheck(stack),
        tracking: await checkTracking(stack.tracking),
      });
      return c.json({ ...report, api: { pid: process.pid, embeddedWorker: info.embeddedWorker } });
    });
}
