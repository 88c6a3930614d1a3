export { type ComponentCheck, checkTracking, type DoctorOptions, type DoctorReport, runDoctor } from "./doctor";
export {
  duckdbPath,
  endpointRegistryOptions,
  endpointsSection,
  lakehouseOptions,
  llmCredentials,
} from "./engine-options";
export { localUser, withLocalApprovals } from "./local-approvals";
export { openStack, type Stack } from "./open-stack";
export { artifactRoot, openTracking, type Tracking } from "./tracking";
