/** Prints the README's configuration table from the settings list: `pnpm tsx scripts/settings-table.ts`. */
import { SETTINGS } from "@mlops/core";

export function settingsTable(): string {
  const rows = Object.values(SETTINGS).map((s) => {
    const fallback = s.default === undefined ? "—" : `\`${String(s.default)}\``;
    return `| \`${s.env}\` | \`${s.key}\` | ${fallback} | ${s.description} |`;
  });
  return ["| environment | mlops.config.yaml | default | what it does |", "|---|---|---|---|", ...rows].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(settingsTable());
