import { parseArgs } from "node:util";
import {
  type EndpointSimulator,
  type EndpointSimulatorOptions,
  startEndpointSimulator,
} from "./start-endpoint-simulator";

/** Usage of `mlops sim serve`. */
export const SIMULATOR_USAGE = `Usage: mlops sim serve [--port P] [--host H] [--latency-ms N] [--jitter-ms N] [--rps N]
                       [--accuracy F] [--error-rate F] [--seed N] [--categories a,b,c] [--sentiments x,y,z]
Starts the OpenAI-compatible endpoint SIMULATOR (answers are simulated; for tests and benchmarks only).`;

/** Reads `mlops sim serve` flags. @throws RangeError on a value that is not a number or out of range. */
export function parseSimulatorArgs(argv: string[]): EndpointSimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "latency-ms": { type: "string" },
      "jitter-ms": { type: "string" },
      rps: { type: "string" },
      accuracy: { type: "string" },
      "error-rate": { type: "string" },
      seed: { type: "string" },
      categories: { type: "string" },
      sentiments: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const num = (flag: keyof typeof values, min: number, max = Number.POSITIVE_INFINITY) => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (typeof raw !== "string" || raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
      throw new RangeError(
        `--${flag} must be a number from ${min}${max === Number.POSITIVE_INFINITY ? " up" : ` to ${max}`}, got ${String(raw)}`,
      );
    }
    return value;
  };
  const list = (raw: string | boolean | undefined) =>
    typeof raw === "string"
      ? raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  const options: EndpointSimulatorOptions = {
    port: num("port", 0, 65535),
    host: typeof values.host === "string" ? values.host : undefined,
    latencyMs: num("latency-ms", 0),
    latencyJitterMs: num("jitter-ms", 0),
    rps: num("rps", 0),
    accuracy: num("accuracy", 0, 1),
    errorRate: num("error-rate", 0, 1),
    seed: num("seed", 0),
    labels: { category: list(values.categories), sentiment: list(values.sentiments) },
  };
  if (options.rps === 0) options.rps = undefined;
  return options;
}

/**
 * `mlops sim serve …`: starts the simulator, prints where it listens, and returns it (the caller closes it, or
 * `serve.ts` does on SIGINT/SIGTERM).
 */
export async function runEndpointSimulatorCli(
  argv: string[],
  io: { stdout: (line: string) => void } = { stdout: (line) => process.stdout.write(`${line}\n`) },
): Promise<EndpointSimulator> {
  const options = parseSimulatorArgs(argv);
  const simulator = await startEndpointSimulator(options);
  io.stdout(
    `Endpoint SIMULATOR listening on ${simulator.baseUrl} (simulated answers: accuracy ${options.accuracy ?? 0.9}, ` +
      `latency ${options.latencyMs ?? 0} ms, rps ${options.rps ?? "unlimited"}, error rate ${options.errorRate ?? 0})`,
  );
  return simulator;
}
