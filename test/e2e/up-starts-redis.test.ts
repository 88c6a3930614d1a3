import { spawn } from "node:child_process";
import { checkRedis } from "@mlops/queue";
import { describe, expect, it } from "vitest";
import { freePort, MLOPS_BIN, tempHome } from "./cli-helpers";

describe("mlops up without Redis", () => {
  it("starts a local redis-server when nothing listens on the Redis port, says so, and stops it on Ctrl-C", async () => {
    const redisPort = await freePort();
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const child = spawn(process.execPath, [MLOPS_BIN, "up"], {
      env: {
        ...process.env,
        MLOPS_HOME: tempHome(),
        PORT: String(await freePort()),
        REDIS_URL: redisUrl,
        DATABASE_URL: "",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    for (let i = 0; i < 600 && !stdout.includes("is up"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(stdout, stderr).toContain("MLOps Architect is up");
    expect(stderr).toContain(`started redis-server on 127.0.0.1:${redisPort}`);
    await expect(checkRedis(redisUrl)).resolves.toMatchObject({ version: expect.any(String) });

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    await expect(checkRedis(redisUrl, 500)).rejects.toMatchObject({ code: "REDIS_UNREACHABLE" });
  }, 90_000);
});
