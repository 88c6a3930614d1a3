import type { AppConfig } from "@mlops/core";
import { endpointsSectionSchema } from "@mlops/llm";
import { runEndpointSimulatorCli, SIMULATOR_USAGE } from "@mlops/llm/simulator";
import type { Command } from "commander";
import pc from "picocolors";
import { printLine, say } from "../output/print";

/** `mlops sim serve`: the OpenAI-compatible endpoint SIMULATOR, for tests and benchmarks only. */
export function registerSim(program: Command, loadConfig: () => AppConfig): void {
  const sim = program
    .command("sim")
    .description("The endpoint SIMULATOR (simulated answers, for tests and benchmarks)");
  sim
    .command("serve")
    .description("Serve simulated chat completions until Ctrl-C")
    .allowUnknownOption(false)
    .option("--port <p>", "port (0: any free one)", "8000")
    .option("--host <h>", "address to listen on")
    .option("--latency-ms <n>", "latency of every answer")
    .option("--jitter-ms <n>", "extra random latency")
    .option("--rps <n>", "requests per second before 429s")
    .option("--accuracy <f>", "probability that each answer is right (0..1)")
    .option("--error-rate <f>", "probability of a 500 (0..1)")
    .option("--seed <n>", "seed of the simulated answers")
    .option("--categories <a,b>", "category labels")
    .option("--sentiments <a,b>", "sentiment labels")
    .action(async (options: Record<string, string | undefined>) => {
      const argv = Object.entries(options).flatMap(([key, value]) =>
        value === undefined ? [] : [`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value],
      );
      let simulator: Awaited<ReturnType<typeof runEndpointSimulatorCli>>;
      try {
        simulator = await runEndpointSimulatorCli(argv, { stdout: (line) => printLine(pc.yellow(line)) });
      } catch (error) {
        say(SIMULATOR_USAGE);
        throw error;
      }
      const config = loadConfig();
      const section = endpointsSectionSchema.safeParse(config.sections.endpoints ?? {});
      const pointed = section.success
        ? section.data.entries.filter((e) => e.baseUrl?.startsWith(simulator.url)).map((e) => e.name)
        : [];
      say(
        pointed.length > 0
          ? `endpoints of mlops.config.yaml served by this SIMULATOR: ${pointed.join(", ")}`
          : `add an endpoint to mlops.config.yaml to use it, e.g.\n  endpoints:\n    entries:\n      - { name: sim, baseUrl: "${simulator.baseUrl}", model: simulated-classifier, track: internal, apiKey: none }`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await simulator.close();
    });
}
