export { createSeededRandom, hashToUnit } from "./seeded-random";
export {
  DEFAULT_SIMULATOR_LABELS,
  type SimulatedLabel,
  type SimulatorLabels,
  simulatedAnswer,
  simulatedTruth,
} from "./simulated-labels";
export { parseSimulatorArgs, runEndpointSimulatorCli, SIMULATOR_USAGE } from "./simulator-cli";
export {
  type EndpointSimulator,
  type EndpointSimulatorOptions,
  type EndpointSimulatorStats,
  SIMULATED_MODEL_ID,
  startEndpointSimulator,
} from "./start-endpoint-simulator";
export { createTokenBucket, type TokenBucket } from "./token-bucket";
export { createTruthStore, normaliseText, type TruthStore } from "./truth-store";
