// A worker process for the experiments benchmark: runs the BullMQ experiment jobs against the given Postgres and
// Redis, samples its own RSS, and on SIGTERM prints {"peakRssMb": …} as one JSON line on stdout.
// Run by test/bench/experiments.ts, bundled like the production worker (node test/bench/dist/main.js '<json>'),
// or under tsx with --tsx. The peak is the kernel's high-water mark (VmHWM) where /proc exists, else sampled.
import { readFileSync } from "node:fs";
import { silentLogger } from "@mlops/core";
import { openDatabase } from "@mlops/db/client";
import { createExperimentJobServices, startJobProcessing } from "@mlops/jobs";
import { createEndpointRegistry, type EndpointConfigInput } from "@mlops/llm";
import { JOB_CATALOG } from "@mlops/queue";

const options = JSON.parse(process.argv[2] ?? "{}") as {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  endpoints: EndpointConfigInput[];
  concurrency: number;
};
/** Peak resident set size so far, in bytes: VmHWM on Linux (exact), else undefined. */
function kernelPeakRss(): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
let peak = process.memoryUsage.rss();
/** process.memoryUsage() at the highest sampled RSS: where the peak was (V8 heap, buffers, the rest). */
let atPeak: Record<string, number> = {};
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss < peak) return;
  peak = usage.rss;
  atPeak = Object.fromEntries(Object.entries(usage).map(([k, v]) => [k, mb(v)]));
}, 50);

const database = await openDatabase({ url: options.databaseUrl, migrate: false });
const logger = silentLogger();
const services = createExperimentJobServices({
  db: database.db,
  redisUrl: options.redisUrl,
  prefix: options.prefix,
  registry: createEndpointRegistry({ endpoints: options.endpoints, includeBuiltIns: false }),
  logger,
  cache: false,
});
const worker = startJobProcessing({
  services: { db: database.db, logger, experiments: services },
  redisUrl: options.redisUrl,
  prefix: options.prefix,
  concurrency: options.concurrency,
  // Only the experiment jobs' queue(s): each queue listened on costs a Redis connection and a BullMQ worker.
  queues: [
    ...new Set(
      (["experiment.start", "experiment.shard", "experiment.finalize"] as const).map((name) => JOB_CATALOG[name].queue),
    ),
  ],
  logger,
});
process.stdout.write(`${JSON.stringify({ ready: true, workerId: worker.workerId })}\n`);

process.once("SIGTERM", async () => {
  await worker.close(1_000);
  await services.close();
  await database.close();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss(), kernelPeakRss() ?? 0);
  process.stdout.write(`${JSON.stringify({ peakRssMb: mb(peak), atPeak })}\n`);
  process.exit(0);
});
