import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors";
import { apiBaseUrl, loadConfig } from "./load-config";

const emptyDir = () => mkdtempSync(join(tmpdir(), "mlops-config-"));

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("uses the embedded defaults when nothing is set", () => {
    const cwd = emptyDir();
    const config = loadConfig({ env: {}, cwd });
    expect(config).toMatchObject({
      home: join(cwd, ".mlops"),
      host: "127.0.0.1",
      port: 8787,
      databaseUrl: undefined,
      redisUrl: "redis://127.0.0.1:6379",
      lakehouseEngine: "duckdb",
      configFile: undefined,
    });
    expect(apiBaseUrl(config)).toBe("http://127.0.0.1:8787");
  });

  it("names the setting, what was given and what is expected for a bad value", () => {
    const error = configError(() => loadConfig({ env: { PORT: "eighty" }, cwd: emptyDir() }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.message).toContain('PORT: given "eighty", expected an integer port between 1 and 65535');
    expect(error.problems).toEqual([
      { setting: "PORT", given: "eighty", expected: "an integer port between 1 and 65535" },
    ]);
  });

  it("lists every bad setting at once and hides secrets", () => {
    const error = configError(() =>
      loadConfig({
        env: { REDIS_URL: "http://nope", DATABASE_URL: "mysql://u:secret@h/db", LOG_LEVEL: "loud" },
        cwd: emptyDir(),
      }),
    );
    expect(error.problems.map((p) => p.setting).sort()).toEqual(["DATABASE_URL", "LOG_LEVEL", "REDIS_URL"]);
    expect(error.message).not.toContain("secret");
    expect(error.message).toContain("expected a postgres:// URL");
  });

  it("reads mlops.config.yaml, lets the environment win, and names file keys in errors", () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, "mlops.config.yaml"), "server:\n  port: 9000\n  host: 0.0.0.0\nredis:\n  prefix: team-a\n");
    const config = loadConfig({ env: { PORT: "9100" }, cwd });
    expect(config.port).toBe(9100);
    expect(config.host).toBe("0.0.0.0");
    expect(config.queuePrefix).toBe("team-a");
    expect(config.configFile).toBe(join(cwd, "mlops.config.yaml"));
    expect(apiBaseUrl(config)).toBe("http://127.0.0.1:9100");

    writeFileSync(join(cwd, "mlops.config.yaml"), "server:\n  port: -1\n");
    const error = configError(() => loadConfig({ env: {}, cwd }));
    expect(error.message).toContain(`server.port (in ${join(cwd, "mlops.config.yaml")}): given -1`);
  });

  it("refuses unknown keys (typos) and unreadable YAML", () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, "mlops.config.yaml"), "server:\n  prot: 9000\n");
    expect(configError(() => loadConfig({ env: {}, cwd })).message).toContain("server.prot");
    writeFileSync(join(cwd, "mlops.config.yaml"), "server: [unclosed\n");
    expect(configError(() => loadConfig({ env: {}, cwd })).message).toContain("valid YAML");
  });

  it("fails when MLOPS_CONFIG points at a missing file", () => {
    const error = configError(() => loadConfig({ env: { MLOPS_CONFIG: "nope.yaml" }, cwd: emptyDir() }));
    expect(error.problems[0]).toMatchObject({ setting: "MLOPS_CONFIG", given: "nope.yaml" });
  });

  it("keeps sections owned by other packages for them to validate", () => {
    const cwd = emptyDir();
    writeFileSync(
      join(cwd, "mlops.config.yaml"),
      "endpoints:\n  - name: my-vllm\n    baseUrl: http://localhost:8000/v1\n",
    );
    expect(loadConfig({ env: {}, cwd }).sections.endpoints).toEqual([
      { name: "my-vllm", baseUrl: "http://localhost:8000/v1" },
    ]);
  });
});
