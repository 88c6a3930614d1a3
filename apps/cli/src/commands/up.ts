import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AppConfig, MlopsError } from "@mlops/core";
import { checkRedis, HOW_TO_START_REDIS } from "@mlops/queue";
import type { Command } from "commander";
import { apiClientFor } from "../backend/connect";
import { apiToken, childEnvironment } from "../env";
import { printLine, say } from "../output/print";
import { ok } from "../output/table";
import { commandExists, startApp, startRedisServer, waitUntil } from "./stack-processes";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Makes sure Redis answers; starts a local redis-server when none does and one is installed. */
async function ensureRedis(config: AppConfig): Promise<ChildProcess | undefined> {
  try {
    await checkRedis(config.redisUrl);
    return undefined;
  } catch (error) {
    const url = new URL(config.redisUrl);
    if ((error as MlopsError).code !== "REDIS_UNREACHABLE" || !LOCAL_HOSTS.has(url.hostname)) throw error;
    if (!commandExists("redis-server")) {
      throw new MlopsError(
        "REDIS_UNREACHABLE",
        `Nothing answers at ${config.redisUrl} and redis-server is not installed.`,
        {
          hint: HOW_TO_START_REDIS,
        },
      );
    }
    const port = Number(url.port || 6379);
    const child = startRedisServer(port);
    const ready = await waitUntil(
      () =>
        checkRedis(config.redisUrl, 500).then(
          () => true,
          () => false,
        ),
      10_000,
    );
    if (!ready) {
      child.kill();
      throw new MlopsError("REDIS_UNREACHABLE", `Started redis-server on port ${port}, but it does not answer.`, {
        hint: HOW_TO_START_REDIS,
      });
    }
    say(`started redis-server on 127.0.0.1:${port} (pid ${child.pid}); it stops when \`mlops up\` stops`);
    return child;
  }
}

/** The web console, signed in as the local user: the token rides in the fragment, which browsers never send. */
function consoleLink(config: AppConfig, baseUrl: string): string {
  const token = apiToken(config);
  return `${baseUrl}/console/${token ? `#token=${token}` : ""}`;
}

function pidFile(config: AppConfig): string {
  return join(config.home, "run", "up.pid");
}

/** Runs api (+ worker) in the foreground until Ctrl-C or SIGTERM; stops everything it started. */
async function runForeground(config: AppConfig): Promise<void> {
  const api = apiClientFor(config);
  if (await api.isUp()) {
    say(`MLOps Architect is already running at ${api.baseUrl}.`);
    return;
  }
  mkdirSync(join(config.home, "run"), { recursive: true });
  const redis = await ensureRedis(config);
  const separateWorker = Boolean(config.databaseUrl) && config.embeddedWorker !== true;
  const children: ChildProcess[] = [];
  const env = childEnvironment({
    MLOPS_HOME: config.home,
    ...(separateWorker ? { MLOPS_EMBEDDED_WORKER: "false" } : {}),
  });
  children.push(startApp("api", env));
  if (separateWorker) children.push(startApp("worker", env));

  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : undefined)));
    redis?.kill("SIGTERM");
    rmSync(pidFile(config), { force: true });
    process.exit(code);
  };
  for (const child of children) {
    child.once("exit", (code) => {
      if (!stopping) {
        say(`a stack process exited (code ${code}); stopping the rest`);
        void stopAll(code || 1);
      }
    });
  }
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));
  writeFileSync(pidFile(config), String(process.pid));

  const ready = await waitUntil(() => api.isUp(), 120_000, 300);
  if (!ready) {
    say("the API did not come up within 2 minutes");
    return stopAll(1);
  }
  printLine(ok(`MLOps Architect is up at ${api.baseUrl}`));
  printLine(`  console:  ${consoleLink(config, api.baseUrl)}`);
  printLine(
    `  database: ${config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${join(config.home, "pgdata")}`}`,
  );
  printLine(`  queue:    ${config.redisUrl}${redis ? " (redis-server started by mlops up)" : ""}`);
  printLine(`  worker:   ${separateWorker ? "its own process" : "inside the API process"}`);
  printLine("  next:     `pnpm mlops doctor`, `pnpm mlops jobs enqueue echo` — Ctrl-C stops everything");
  // Runs until a signal: stopAll() exits the process.
  await new Promise<never>(() => {});
}

/** Starts `mlops up` in the background, logging to MLOPS_HOME/logs/up.log, and returns once the API answers. */
async function runDetached(config: AppConfig, argv: string[]): Promise<void> {
  const api = apiClientFor(config);
  if (await api.isUp()) {
    say(`MLOps Architect is already running at ${api.baseUrl}.`);
    return;
  }
  mkdirSync(join(config.home, "logs"), { recursive: true });
  const logPath = join(config.home, "logs", "up.log");
  const log = openSync(logPath, "a");
  const child = spawn(process.execPath, [...process.execArgv, ...argv.filter((a) => a !== "--detach")], {
    detached: true,
    stdio: ["ignore", log, log],
    env: childEnvironment({}),
  });
  child.unref();
  const ready = await waitUntil(() => api.isUp(), 120_000, 300);
  if (!ready)
    throw new MlopsError("UP_FAILED", "The stack did not come up within 2 minutes.", { hint: `See ${logPath}.` });
  printLine(ok(`MLOps Architect is up at ${api.baseUrl} (background pid ${child.pid}; logs: ${logPath})`));
  printLine(`  console: ${consoleLink(config, api.baseUrl)}`);
  printLine("  `pnpm mlops down` stops it.");
}

export function registerUp(program: Command, loadConfig: () => AppConfig): void {
  program
    .command("up")
    .description("Start the API and the worker on the configured engines (embedded defaults: no account needed)")
    .option("--detach", "run in the background; `mlops down` stops it")
    .action(async (options: { detach?: boolean }) => {
      const config = loadConfig();
      if (options.detach) await runDetached(config, process.argv.slice(1));
      else await runForeground(config);
    });

  program
    .command("down")
    .description("Stop a stack started with `mlops up --detach`")
    .action(async () => {
      const config = loadConfig();
      let pid: number;
      try {
        pid = Number.parseInt(readFileSync(pidFile(config), "utf8"), 10);
      } catch {
        say("no stack started by `mlops up` is running here");
        return;
      }
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        rmSync(pidFile(config), { force: true });
        say("the recorded stack process was not running");
        return;
      }
      const stopped = await waitUntil(async () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }, 60_000);
      printLine(stopped ? ok("stopped") : `process ${pid} is still stopping`);
    });
}
