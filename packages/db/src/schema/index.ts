export * from "./audit-events";
export * from "./jobs";
export * from "./threads";
