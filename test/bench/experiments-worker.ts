// A worker process for the experiments benchmark: runs the BullMQ experiment jobs against the given Postgres and
// Redis, samples its own RSS, and on SIGTERM prints {"peakRssMb": …} as one JSON line on stdout.
// Run by test/bench/experiments.ts: tsx test/bench/experiments-worker.ts '<json options>'.
import { silentLogger } from "@mlops/core";
import { openDatabase } from "@mlops/db/client";
import { createExperimentJobServices, startJobProcessing } from "@mlops/jobs";
import { createEndpointRegistry, type EndpointConfigInput } from "@mlops/llm";

const options = JSON.parse(process.argv[2] ?? "{}") as {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  endpoints: EndpointConfigInput[];
  concurrency: number;
};
let peak = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
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
  logger,
});
process.stdout.write(`${JSON.stringify({ ready: true, workerId: worker.workerId })}\n`);

process.once("SIGTERM", async () => {
  await worker.close(1_000);
  await services.close();
  await database.close();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  process.stdout.write(`${JSON.stringify({ peakRssMb: Math.round((peak / 2 ** 20) * 10) / 10 })}\n`);
  process.exit(0);
});
