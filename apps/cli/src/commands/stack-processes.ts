import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** Entry points of the deployable apps, started as their own processes (apps never import each other). */
export const APP_ENTRY = {
  api: fileURLToPath(new URL("../../../api/src/main.ts", import.meta.url)),
  worker: fileURLToPath(new URL("../../../worker/src/main.ts", import.meta.url)),
};

/** Production bundles made by `pnpm build` (scripts/build-apps.ts): run with plain node, no TypeScript at run time. */
export const APP_BUILD: Partial<Record<keyof typeof APP_ENTRY, string>> = {
  worker: fileURLToPath(new URL("../../../worker/dist/main.js", import.meta.url)),
};
/**
 * Node flags of the built apps. A young generation of 4 MiB semi-spaces (default up to 16 MiB) keeps the worker's
 * short-lived garbage from swelling its RSS: experiments benchmark (a), 2,000 items × 2 endpoints, peak RSS
 * 172 → ~150 MB at the same throughput. Keep in step with apps/worker/package.json `start` and test/bench.
 */
export const APP_NODE_FLAGS = ["--max-semi-space-size=4"];
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** Newest modification time of the TypeScript sources under `dir` (tests and node_modules left out). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * How an app is started: its bundle when `pnpm build` made one that is newer than every source of the workspace
 * (production: less memory, faster start), else its TypeScript entry point under tsx (development).
 */
export function appCommand(name: keyof typeof APP_ENTRY): { args: string[]; built: boolean; stale: boolean } {
  const bundle = APP_BUILD[name];
  if (bundle && existsSync(bundle)) {
    const builtAt = statSync(bundle).mtimeMs;
    const stale = ["packages", "apps"].some((group) => newestSource(join(REPO_ROOT, group)) > builtAt);
    if (!stale) return { args: [...APP_NODE_FLAGS, bundle], built: true, stale: false };
    return { args: ["--import", require.resolve("tsx"), APP_ENTRY[name]], built: false, stale: true };
  }
  return { args: ["--import", require.resolve("tsx"), APP_ENTRY[name]], built: false, stale: false };
}

/** Starts an app (its build, or its TypeScript entry point under tsx) with the given environment. */
export function startApp(name: keyof typeof APP_ENTRY, env: NodeJS.ProcessEnv): ChildProcess {
  const command = appCommand(name);
  if (command.stale)
    console.error(`${name}: apps/${name}/dist is older than the sources; running them under tsx (run pnpm build)`);
  const child = spawn(process.execPath, command.args, {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return child;
}

export function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Starts a throwaway redis-server on a local port (nothing written to disk); it stops with `mlops up`. */
export function startRedisServer(port: number): ChildProcess {
  return spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return false;
}
