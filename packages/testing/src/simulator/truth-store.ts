// Moved to @mlops/llm (the CLI's `mlops sim serve` ships it); re-exported for tests and benchmarks.
export { createTruthStore, normaliseText, type TruthStore } from "@mlops/llm/simulator";
