import { type AppConfig, formatError, isMlopsError } from "@mlops/core";
import { Command } from "commander";
import { registerApprovals } from "./commands/approvals";
import { registerChat } from "./commands/chat";
import { registerConfig } from "./commands/config";
import { registerDoctor } from "./commands/doctor";
import { registerDrift } from "./commands/drift";
import { registerExperiment } from "./commands/experiment";
import { registerJobs } from "./commands/jobs";
import { registerMonitor } from "./commands/monitor";
import { registerPipeline } from "./commands/pipeline";
import { registerPlan } from "./commands/plan";
import { registerRegistry } from "./commands/registry";
import { registerRuns } from "./commands/runs";
import { registerSim } from "./commands/sim";
import { registerSql } from "./commands/sql";
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
registerMonitor(program, loadConfig);
registerDrift(program, loadConfig);
registerExperiment(program, loadConfig);
registerSim(program, loadConfig);
registerPipeline(program, loadConfig);
registerSql(program);
registerConfig(program, loadConfig);
registerRegistry(program, loadConfig);
registerRuns(program, loadConfig);
registerApprovals(program, loadConfig, () => apiToken(loadConfig()));
registerChat(program, loadConfig, () => apiToken(loadConfig()));
registerPlan(program, loadConfig, () => apiToken(loadConfig()));

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
