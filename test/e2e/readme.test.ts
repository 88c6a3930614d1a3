import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { settingsTable } from "../../scripts/settings-table";

describe("README", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

  it("documents every setting with its default (run `pnpm tsx scripts/sync-readme.ts` after adding one)", () => {
    expect(readme).toContain(settingsTable());
  });

  it("gives the install, start and test commands", () => {
    expect(readme).toContain("pnpm install");
    expect(readme).toContain("pnpm mlops up");
    expect(readme).toContain("pnpm test");
  });
});

describe("README's example mlops.config.yaml", () => {
  it("is valid for every package that reads a section of it", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { loadConfig } = await import("@mlops/core");
    const { endpointRegistryOptions } = await import("@mlops/stack");
    const { createEndpointRegistry, resolveEndpoint } = await import("@mlops/llm");
    const { parseApprovalConfig } = await import("@mlops/approvals");
    const { parseCriteria } = await import("@mlops/registry");
    const { governanceFromConfig } = await import("@mlops/experiments");
    const { parseRetrainTargets } = await import("@mlops/jobs");
    const { parseAuthConfig } = await import("../../apps/api/src/auth/auth-config");
    const { parseSlackConfig } = await import("../../apps/api/src/slack/slack-config");

    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const yaml = /### Sections of mlops\.config\.yaml[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeTruthy();
    const cwd = mkdtempSync(join(tmpdir(), "mlops-readme-"));
    writeFileSync(join(cwd, "mlops.config.yaml"), yaml!);
    const config = loadConfig({ env: {}, cwd });

    const endpoints = createEndpointRegistry(endpointRegistryOptions(config));
    expect(resolveEndpoint("my-vllm", endpoints).model).toBe("qwen2.5-7b");
    expect(endpoints.status().find((s) => s.name === "databricks-gpt-oss-20b")?.aliases).toContain("fast");
    expect(parseApprovalConfig(config.sections.approvals).approvers.users).toEqual(["ana"]);
    expect(parseAuthConfig(config.sections.auth).tokens).toHaveLength(1);
    expect(parseSlackConfig(config.sections.slack)?.approvalsChannel).toBe("C0123456789");
    expect(parseCriteria(config.sections.criteria)).toMatchObject({ accuracy: 0.9, beatChampionBy: 0.02 });
    expect(governanceFromConfig(config).requireInternal).toBe(false);
    expect(parseRetrainTargets(config.sections.monitors)[0]).toMatchObject({
      model: "churn-classifier",
      labelCol: "churn",
    });
  });
});
