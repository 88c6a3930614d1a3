/** Rewrites the README's configuration table from the settings list: `pnpm tsx scripts/sync-readme.ts`. */
import { readFileSync, writeFileSync } from "node:fs";
import { settingsTable } from "./settings-table";

const path = new URL("../README.md", import.meta.url);
const readme = readFileSync(path, "utf8");
const updated = readme.replace(
  /<!-- settings-table:start -->[\s\S]*<!-- settings-table:end -->/,
  `<!-- settings-table:start -->\n${settingsTable()}\n<!-- settings-table:end -->`,
);
writeFileSync(path, updated);
