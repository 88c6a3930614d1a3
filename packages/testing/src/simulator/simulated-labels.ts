// Moved to @mlops/llm (the CLI's `mlops sim serve` ships it); re-exported for tests and benchmarks.
export {
  DEFAULT_SIMULATOR_LABELS,
  type SimulatedLabel,
  type SimulatorLabels,
  simulatedAnswer,
  simulatedTruth,
} from "@mlops/llm/simulator";
