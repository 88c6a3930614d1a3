export * from "./approvals";
export * from "./audit-events";
export * from "./experiments";
export * from "./jobs";
export * from "./mlflow";
export * from "./pipelines";
export * from "./registry";
export * from "./threads";
