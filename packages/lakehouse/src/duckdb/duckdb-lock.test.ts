import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createLakehouse } from "../create-lakehouse";

const require = createRequire(import.meta.url);

describe("a DuckDB lakehouse held by another process", () => {
  it("is reported as LAKEHOUSE_LOCKED with the holder's pid and what to do", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "mlops-lock-")), "main.duckdb");
    const create = await createLakehouse({ engine: "duckdb", path });
    await create.execute("CREATE TABLE main.default.t AS SELECT 1 AS x");
    await create.close();

    // Another process opens the file and keeps it, as `mlops up` does.
    const holderScript = `import { createLakehouse } from ${JSON.stringify(fileURLToPath(new URL("../create-lakehouse.ts", import.meta.url)))};
      const l = await createLakehouse({ engine: "duckdb", path: ${JSON.stringify(path)} });
      await l.query("SELECT count(*) FROM main.default.t"); console.log("holding"); setInterval(() => {}, 1000);`;
    const holder = spawn(
      process.execPath,
      ["--import", require.resolve("tsx"), "--input-type=module", "-e", holderScript],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    try {
      await new Promise<void>((resolve) =>
        holder.stdout!.on("data", (d) => String(d).includes("holding") && resolve()),
      );
      const error = await createLakehouse({ engine: "duckdb", path })
        .then((l) => l.query("SELECT 1 FROM main.default.t").finally(() => l.close()))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: "LAKEHOUSE_LOCKED",
        message: expect.stringContaining(`in use by process ${holder.pid}`),
        hint: expect.stringContaining("mlops down"),
      });
    } finally {
      holder.kill();
    }
  }, 30_000);
});
