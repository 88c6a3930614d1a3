import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** Entry points of the deployable apps, started as their own processes (apps never import each other). */
export const APP_ENTRY = {
  api: fileURLToPath(new URL("../../../api/src/main.ts", import.meta.url)),
  worker: fileURLToPath(new URL("../../../worker/src/main.ts", import.meta.url)),
};

/** Starts a TypeScript entry point under tsx with the given environment; output is prefixed by its name. */
export function startApp(name: keyof typeof APP_ENTRY, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ["--import", require.resolve("tsx"), APP_ENTRY[name]], {
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
