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
