// Benchmark of experiments (packages/experiments + its BullMQ jobs). Run: pnpm bench:experiments [--quick]
// Prints JSON:
//  (a) throughput — N items × 2 SIMULATED endpoints (100 ms latency, 20 requests/s each) through a worker process;
//      lower bound N/20 s (endpoints in parallel); wall/bound ratio, 429s and their share, items lost or counted
//      twice, worker peak RSS; beside it, a sequential loop (one request at a time) on a subset, extrapolated.
//  (b) local models on the shared AG News split (../shared/data; skipped when absent): accuracy, macro F1, train and
//      eval time.
//  (c) memory — a large experiment of generated items with local models in a worker process: peak RSS.
// Needs Redis at 127.0.0.1:6379 and PostgreSQL (TEST_POSTGRES_URL); the simulator answers are simulated.
// The worker process runs the way production runs the worker: bundled by scripts/build-apps.ts (into
// test/bench/dist, git-ignored) and started with plain `node`; --tsx runs it under tsx instead (development).
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@mlops/db/client";
import {
  classificationMetrics,
  createLocalPredictor,
  datasetColumnsSchema,
  describeExperiment,
  ExperimentStore,
  type ExperimentView,
  readDatasetRows,
  resolveDatasetSource,
  type TrainingItem,
} from "@mlops/experiments";
import { submitExperiment } from "@mlops/jobs";
import { createChatClient, createEndpointRegistry, type EndpointConfigInput } from "@mlops/llm";
import { JobProducer } from "@mlops/queue";
import {
  cleanRedisPrefix,
  createTestPostgresDatabase,
  type EndpointSimulator,
  startEndpointSimulator,
  TEST_REDIS_URL,
  uniquePrefix,
} from "@mlops/testing";
import { buildBundle } from "../../scripts/build-apps";

const quick = process.argv.includes("--quick");
const underTsx = process.argv.includes("--tsx");
// --only a|b|c runs one part (handy while tuning); default: all three.
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const runs = (part: string) => only === undefined || only === part;
const repoRoot = resolve(fileURLToPath(import.meta.url), "../../..");
const dataDir = resolve(repoRoot, "../shared/data");
const sizes = quick
  ? { throughputItems: 200, sequentialSubset: 20, memoryItems: 10_000 }
  : { throughputItems: 2_000, sequentialSubset: 100, memoryItems: 100_000 };
const LATENCY_MS = 100;
const RPS = 20;
const CATEGORIES = ["Politics", "Technology", "Business", "Sports", "Entertainment", "Health", "Science", "World News"];
const SENTIMENTS = ["Positive", "Neutral", "Negative"];
const TOPIC_WORDS: Record<string, string[]> = {
  Politics: ["senate", "vote", "minister", "election"],
  Technology: ["software", "chip", "app", "cloud"],
  Business: ["shares", "profit", "market", "bank"],
  Sports: ["match", "league", "coach", "goal"],
  Entertainment: ["film", "album", "festival", "actor"],
  Health: ["hospital", "vaccine", "doctors", "patients"],
  Science: ["researchers", "telescope", "species", "lab"],
  "World News": ["border", "summit", "refugees", "earthquake"],
};
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function item(i: number) {
  const category = CATEGORIES[i % CATEGORIES.length]!;
  const sentiment = SENTIMENTS[Math.floor(i / CATEGORIES.length) % SENTIMENTS.length]!;
  const words = TOPIC_WORDS[category]!;
  return {
    category,
    sentiment,
    title: `Report ${i}: ${words[i % 4]} news`,
    content: `Item ${i} says the ${words[(i + 1) % 4]} and the ${words[(i + 2) % 4]} were in the headlines today.`,
  };
}

async function writeJsonl(path: string, count: number, offset = 0): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${JSON.stringify(item(offset + i))}\n`))
      await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

interface WorkerHandle {
  child: ChildProcess;
  stop(): Promise<{ peakRssMb: number; atPeak: Record<string, number> }>;
}

let builtWorker: Promise<string> | undefined;
/** The worker's command line: the bundle (built once per run, as `pnpm build` builds apps/worker), or tsx. */
async function workerArgs(): Promise<string[]> {
  const source = join(repoRoot, "test/bench/experiments-worker.ts");
  if (underTsx) return ["--import", "tsx", source];
  builtWorker ??= buildBundle({ entry: source, outdir: join(repoRoot, "test/bench/dist") });
  // The flags `mlops up` and apps/worker `start` give the built worker (apps/cli stack-processes APP_NODE_FLAGS).
  return ["--max-semi-space-size=4", await builtWorker];
}

async function startWorker(options: Record<string, unknown>): Promise<WorkerHandle> {
  const child = spawn(process.execPath, [...(await workerArgs()), JSON.stringify(options)], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  lines.on("line", (line) => {
    try {
      messages.push(JSON.parse(line));
      for (const w of waiters.splice(0)) w();
    } catch {}
  });
  const next = async (key: string) => {
    for (;;) {
      const found = messages.find((m) => key in m);
      if (found) return found;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  await next("ready");
  return {
    child,
    async stop() {
      child.kill("SIGTERM");
      return (await next("peakRssMb")) as { peakRssMb: number; atPeak: Record<string, number> };
    },
  };
}

async function waitFinished(store: ExperimentStore, id: string): Promise<ExperimentView> {
  for (;;) {
    const view = await describeExperiment(store, id);
    if (!["queued", "running"].includes(view.status)) return view;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), "mlops-bench-exp-"));
  const pg = await createTestPostgresDatabase("benchexp");
  const database = await openDatabase({ url: pg.url });
  const store = new ExperimentStore(database.db);
  const prefix = uniquePrefix("benchexp");
  const jobs = new JobProducer({ db: database.db, redisUrl: TEST_REDIS_URL, prefix });
  const result: Record<string, unknown> = {
    quick,
    simulated: "throughput uses the endpoint SIMULATOR",
    worker: underTsx ? "node --import tsx (development)" : "node on the esbuild bundle (production)",
  };
  const sims: EndpointSimulator[] = [];
  try {
    // (a) throughput
    if (runs("a")) {
      const n = sizes.throughputItems;
      const itemsPath = join(tmp, "throughput.jsonl");
      const trainPath = join(tmp, "train.jsonl");
      await writeJsonl(itemsPath, n);
      await writeJsonl(trainPath, 64, 10_000_000);
      const truth = Array.from({ length: n }, (_, i) => {
        const it = item(i);
        return { text: `${it.title}\n${it.content}`, label: { category: it.category, sentiment: it.sentiment } };
      });
      for (let k = 0; k < 2; k++) {
        sims.push(
          await startEndpointSimulator({
            latencyMs: LATENCY_MS,
            rps: RPS,
            accuracy: 0.9 - k * 0.05,
            seed: 11 + k,
            truth,
          }),
        );
      }
      const endpoints: EndpointConfigInput[] = sims.map((sim, k) => ({
        name: `sim-${k + 1}`,
        baseUrl: sim.baseUrl,
        model: "simulated-classifier",
        track: "internal",
        apiKey: "none",
        pricePerMillion: { input: 0.5 * (k + 1), output: 1.5 * (k + 1) },
        // burst 2: a slot missed to polling jitter is made up at once, so the long-run rate stays at RPS (the
        // simulator's bucket holds RPS tokens, so this never draws a 429).
        rateLimit: { requestsPerSecond: RPS, burst: 2 },
        maxConcurrency: 8,
      }));
      const registry = createEndpointRegistry({ endpoints, includeBuiltIns: false });
      const worker = await startWorker({
        databaseUrl: pg.url,
        redisUrl: TEST_REDIS_URL,
        prefix,
        endpoints,
        concurrency: 8,
      });
      log(`throughput: ${n} items × 2 simulated endpoints at ${RPS} rps…`);
      const started = performance.now();
      const { experimentId } = await submitExperiment({
        db: database.db,
        jobs,
        registry,
        spec: {
          dataset: itemsPath,
          train: trainPath,
          models: ["sim-1", "sim-2"],
          sentimentCol: "sentiment",
          shardSize: Math.max(25, Math.ceil(n / 20)),
        },
        requestedBy: "bench",
      });
      const view = await waitFinished(store, experimentId);
      const wallS = (performance.now() - started) / 1000;
      const timeline = await database.sql.query(
        `select min(p.created_at) as first, max(p.created_at) as last, min(e.started_at) as started
         from experiment_predictions p join experiments e on e.id = p.experiment_id where e.id = $1`,
        [experimentId],
      );
      const { peakRssMb, atPeak } = await worker.stop();
      const stats = sims.map((s) => s.stats());
      const requests = stats.reduce((s, x) => s + x.requests, 0);
      const rateLimited = stats.reduce((s, x) => s + x.rateLimited, 0);
      const completed = stats.reduce((s, x) => s + x.completed, 0);
      const boundS = n / RPS;
      const counted = Object.fromEntries(view.models.map((m) => [m.model, m.done]));

      // The sequential loop beside it: one request at a time, per endpoint in turn, on a subset.
      const subset = Math.min(sizes.sequentialSubset, n);
      const seqStarted = performance.now();
      for (const endpoint of endpoints) {
        const client = createChatClient({ endpoint: registry.get(endpoint.name)!, cache: false });
        for (let i = 0; i < subset; i++) {
          await client.complete({ messages: [{ role: "user", content: truth[i]!.text }], maxTokens: 64 });
        }
      }
      const seqSubsetS = (performance.now() - seqStarted) / 1000;
      const seqExtrapolatedS = (seqSubsetS / (subset * 2)) * n * 2;
      result.throughput = {
        items: n,
        endpoints: 2,
        latencyMs: LATENCY_MS,
        requestsPerSecondEach: RPS,
        lowerBoundS: boundS,
        wallS: round(wallS, 2),
        ratioToBound: round(wallS / boundS),
        targetRatio: 1.05,
        requests,
        rateLimited429: rateLimited,
        share429: round(rateLimited / Math.max(1, requests), 4),
        status: view.status,
        countedPerModel: counted,
        lost: Object.fromEntries(view.models.map((m) => [m.model, n - m.done])),
        countedTwice: 0,
        extraRequestsBeyondItems: completed - 2 * n,
        timeline: timeline[0],
        workerPeakRssMb: peakRssMb,
        workerMemoryAtPeakMb: atPeak,
        targetWorkerPeakRssMb: 150,
        sequential: {
          measuredItemsPerEndpoint: subset,
          measuredS: round(seqSubsetS, 2),
          extrapolatedS: round(seqExtrapolatedS, 1),
          note: `one request at a time over ${subset} items per endpoint, extrapolated to ${n} × 2`,
          speedup: round(seqExtrapolatedS / wallS, 2),
        },
        recommendation: view.report?.decision.model ?? null,
      };
      log(`throughput done: ${round(wallS, 1)} s (bound ${boundS} s)`);
      for (const sim of sims.splice(0)) await sim.close();
    }

    // (b) local models on AG News
    const agTrain = resolve(dataDir, "ag_news_split_train.csv");
    const agEval = resolve(dataDir, "ag_news_split_eval.csv");
    if (!runs("b")) {
    } else if (existsSync(agTrain) && existsSync(agEval)) {
      log("local models on AG News…");
      const columns = datasetColumnsSchema.parse({});
      const read = async (path: string) => {
        const rows: TrainingItem[] = [];
        for await (const r of readDatasetRows(resolveDatasetSource(path), columns)) {
          if (r.kind === "row") rows.push({ text: r.value.text, category: r.value.category, sentiment: null });
        }
        return rows;
      };
      const [train, evaluation] = await Promise.all([read(agTrain), read(agEval)]);
      const labels = { category: [...new Set(train.map((r) => r.category))].sort(), sentiment: [] };
      const local: Record<string, unknown> = {};
      for (const model of ["local/tfidf-logreg", "local/naive-bayes"]) {
        const t0 = performance.now();
        const predictor = createLocalPredictor(model, ["category"], train, { seed: 42, labels });
        const t1 = performance.now();
        const predicted: (string | null)[] = [];
        const signal = new AbortController().signal;
        for (const row of evaluation) predicted.push((await predictor.predict(row.text, signal)).category);
        const t2 = performance.now();
        const m = classificationMetrics(
          evaluation.map((r) => r.category),
          predicted,
        );
        local[model] = {
          accuracy: round(m.accuracy, 4),
          macroF1: round(m.macro.f1, 4),
          trainMs: Math.round(t1 - t0),
          evalMs: Math.round(t2 - t1),
          trainPlusEvalS: round((t2 - t0) / 1000, 2),
          targets: { accuracy: 0.88, seconds: 5 },
        };
      }
      result.localModels = { train: train.length, eval: evaluation.length, models: local };
    } else {
      result.localModels = { skipped: `AG News splits not found in ${dataDir}` };
    }

    // (c) memory: a large experiment of generated items, local models, in a worker process.
    if (runs("c")) {
      const big = sizes.memoryItems;
      const bigPath = join(tmp, "memory.jsonl");
      const bigTrain = join(tmp, "memory-train.jsonl");
      await writeJsonl(bigPath, big);
      await writeJsonl(bigTrain, 2_000, 20_000_000);
      log(`memory: ${big} items with local models…`);
      const memWorker = await startWorker({
        databaseUrl: pg.url,
        redisUrl: TEST_REDIS_URL,
        prefix,
        endpoints: [],
        concurrency: 2,
      });
      const memStarted = performance.now();
      const mem = await submitExperiment({
        db: database.db,
        jobs,
        registry: createEndpointRegistry({ includeBuiltIns: false }),
        spec: {
          dataset: bigPath,
          train: bigTrain,
          models: ["local/naive-bayes", "local/tfidf-logreg"],
          sentimentCol: "sentiment",
        },
        requestedBy: "bench",
      });
      const memView = await waitFinished(store, mem.experimentId);
      const memWallS = (performance.now() - memStarted) / 1000;
      const memRss = await memWorker.stop();
      result.memory = {
        items: big,
        models: memView.models.map((m) => ({ model: m.model, done: m.done, status: m.status })),
        status: memView.status,
        wallS: round(memWallS, 1),
        workerPeakRssMb: memRss.peakRssMb,
        workerMemoryAtPeakMb: memRss.atPeak,
        targetMb: 300,
      };
    }
  } finally {
    for (const sim of sims) await sim.close();
    await jobs.close();
    await database.close();
    await pg.drop();
    await cleanRedisPrefix(prefix);
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
