export { type ComponentCheck, type DoctorOptions, type DoctorReport, runDoctor } from "./doctor";
export {
  duckdbPath,
  endpointRegistryOptions,
  endpointsSection,
  lakehouseOptions,
  llmCredentials,
} from "./engine-options";
export { openStack, type Stack } from "./open-stack";
