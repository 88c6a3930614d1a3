import { type AppConfig, describeSettings } from "@mlops/core";
import type { Command } from "commander";
import { cliEnvironment } from "../env";
import { printJson, printLine } from "../output/print";
import { renderTable } from "../output/table";

export function registerConfig(program: Command, loadConfig: () => AppConfig): void {
  program
    .command("config")
    .description("Every setting with its value, where it came from, and what it does")
    .option("--json", "print as JSON")
    .action((options: { json?: boolean }) => {
      const config = loadConfig();
      const settings = describeSettings(config, cliEnvironment());
      if (options.json) return printJson({ configFile: config.configFile ?? null, settings });
      printLine(`project file: ${config.configFile ?? "(none; create mlops.config.yaml to set values)"}`);
      printLine(
        renderTable(
          ["env", "file key", "value", "source"],
          settings.map((s) => [s.env, s.key, s.value === null ? "—" : String(s.value), s.source]),
        ),
      );
    });
}
