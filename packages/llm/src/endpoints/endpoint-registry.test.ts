import { describe, expect, it } from "vitest";
import { isLlmError } from "../errors/llm-error";
import { createEndpointRegistry, resolveEndpoint } from "./endpoint-registry";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("endpoint registry", () => {
  it("says which built-ins are usable and exactly what the others miss", () => {
    const registry = createEndpointRegistry({ credentials: { openaiApiKey: "sk-test" } });
    const status = Object.fromEntries(registry.status().map((s) => [s.name, s]));
    expect(status["databricks-gpt-oss-20b"]).toMatchObject({
      usable: false,
      missing: ["DATABRICKS_HOST", "DATABRICKS_TOKEN"],
      message: "databricks-gpt-oss-20b needs DATABRICKS_HOST and DATABRICKS_TOKEN",
    });
    expect(status["openai-gpt-4o-mini"]).toMatchObject({ usable: true, missing: [], track: "external" });
    expect(status["anthropic-claude-haiku-4-5"]!.missing).toEqual(["ANTHROPIC_API_KEY"]);
    expect(status["databricks-meta-llama-3-3-70b-instruct"]!.aliases).toContain("llama");
  });

  it("resolves aliases to Databricks serving endpoints with the host and token", () => {
    const registry = createEndpointRegistry({
      credentials: { databricksHost: "adb-123.azuredatabricks.net/", databricksToken: "dapi-x" },
    });
    const llama = resolveEndpoint("llama", registry);
    expect(llama).toMatchObject({
      name: "databricks-meta-llama-3-3-70b-instruct",
      baseUrl: "https://adb-123.azuredatabricks.net/serving-endpoints",
      apiKeyValue: "dapi-x",
      track: "internal",
    });
    expect(resolveEndpoint("GPT-OSS", registry).name).toBe("databricks-gpt-oss-120b");
    expect(resolveEndpoint("gpt-oss-20b", registry).model).toBe("databricks-gpt-oss-20b");
  });

  it("fails on an unknown name listing the known ones, and on missing credentials naming the settings", () => {
    const registry = createEndpointRegistry();
    const unknown = thrown(() => resolveEndpoint("mistral", registry));
    expect(isLlmError(unknown, "LLM_UNKNOWN_ENDPOINT")).toBe(true);
    expect((unknown as Error).message).toContain("databricks-gpt-oss-20b");
    expect((unknown as Error).message).toContain("llama (→ databricks-meta-llama-3-3-70b-instruct)");
    const missing = thrown(() => resolveEndpoint("gpt-oss", registry));
    expect(isLlmError(missing, "LLM_MISSING_CREDENTIALS")).toBe(true);
    expect((missing as Error).message).toBe("databricks-gpt-oss-120b needs DATABRICKS_HOST and DATABRICKS_TOKEN");
  });

  it("adds config entries (validated), lets them replace built-ins, and resolves named secrets", () => {
    const registry = createEndpointRegistry({
      endpoints: [
        {
          name: "local-vllm",
          baseUrl: "http://127.0.0.1:8000/v1/",
          model: "Qwen/Qwen2.5-7B-Instruct",
          track: "internal",
          apiKey: { env: "VLLM_API_KEY" },
          rateLimit: { requestsPerSecond: 20 },
        },
        {
          name: "databricks-gpt-oss-20b",
          model: "databricks-gpt-oss-20b",
          track: "internal",
          apiKey: "databricks",
          pricePerMillion: { input: 0.05, output: 0.2 },
        },
      ],
      aliases: { qwen: "local-vllm" },
      credentials: { secrets: { VLLM_API_KEY: "token-abc" } },
    });
    expect(resolveEndpoint("qwen", registry)).toMatchObject({
      baseUrl: "http://127.0.0.1:8000/v1",
      apiKeyValue: "token-abc",
      maxConcurrency: 8,
      timeoutMs: 60_000,
    });
    expect(registry.get("databricks-gpt-oss-20b")!.pricePerMillion).toEqual({ input: 0.05, output: 0.2 });
    expect(registry.status().find((s) => s.name === "databricks-gpt-oss-20b")!.source).toBe("config");

    const noSecret = createEndpointRegistry({
      endpoints: [
        { name: "gw", baseUrl: "https://gw.example/v1", model: "m", track: "external", apiKey: { env: "GW_KEY" } },
      ],
    });
    expect(noSecret.status().find((s) => s.name === "gw")!.message).toBe("gw needs GW_KEY");

    const invalid = thrown(() =>
      createEndpointRegistry({
        endpoints: [{ name: "x", model: "m", track: "sideways" as "internal", apiKey: "none" }],
      }),
    );
    expect(isLlmError(invalid, "LLM_INVALID_ENDPOINT")).toBe(true);
    expect((invalid as Error).message).toContain("endpoints[0].track");
  });
});
