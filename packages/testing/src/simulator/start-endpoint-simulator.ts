// Moved to @mlops/llm (the CLI's `mlops sim serve` ships it); re-exported for tests and benchmarks.
export {
  type EndpointSimulator,
  type EndpointSimulatorOptions,
  type EndpointSimulatorStats,
  SIMULATED_MODEL_ID,
  startEndpointSimulator,
} from "@mlops/llm/simulator";
