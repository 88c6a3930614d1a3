import { type AppConfig, formatError, isMlopsError } from "@mlops/core";
import { Command } from "commander";
import { registerApprovals } from "./commands/approvals";
import { registerConfig } from "./commands/config";
import { registerDoctor } from "./commands/doctor";
import { registerJobs } from "./commands/jobs";
import { registerUp } from "./commands/up";
import { apiToken, loadCliConfig } from "./env";
import { printJson } from "./output/print";

const program = new Command()
  .name("mlops")
  .description("MLOps Architect: an agent-based MLOps assistant for lakehouse teams")
  .version("0.1.0")
  .option("--config <file>", "project file (default: ./mlops.config.yaml)")
  .showHelpAfterError();

let config: AppConfig | undefined;
const loadConfig = (): AppConfig => {
  config ??= loadCliConfig(program.opts<{ config?: string }>().config);
  return config;
};

registerUp(program, loadConfig);
registerDoctor(program, loadConfig);
registerJobs(program, loadConfig);
registerConfig(program, loadConfig);
registerApprovals(program, loadConfig, () => apiToken(loadConfig()));

program.parseAsync(process.argv).then(
  () => {
    // Open handles (Redis, timers) must not keep a finished command alive; `up` never gets here until stopped.
    setImmediate(() => process.exit(process.exitCode ?? 0));
  },
  (error: unknown) => {
    if (process.argv.includes("--json")) {
      printJson({ error: isMlopsError(error) ? error.toJSON() : { code: "INTERNAL", message: String(error) } });
    }
    process.stderr.write(`mlops: ${formatError(error)}\n`);
    process.exit(isMlopsError(error) && error.code === "CONFIG_INVALID" ? 2 : 1);
  },
);
