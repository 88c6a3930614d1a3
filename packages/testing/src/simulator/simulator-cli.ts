// Moved to @mlops/llm (the CLI's `mlops sim serve` ships it); re-exported for tests and benchmarks.
export { parseSimulatorArgs, runEndpointSimulatorCli, SIMULATOR_USAGE } from "@mlops/llm/simulator";
