// Runnable entry: `tsx packages/testing/src/simulator/serve.ts --port 8000 --rps 10`. The CLI's `mlops sim serve`
// calls `runEndpointSimulatorCli` the same way.
import { runEndpointSimulatorCli, SIMULATOR_USAGE } from "./simulator-cli";

try {
  const simulator = await runEndpointSimulatorCli(process.argv.slice(2));
  const stop = async () => {
    await simulator.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${SIMULATOR_USAGE}\n`);
  process.exit(2);
}
