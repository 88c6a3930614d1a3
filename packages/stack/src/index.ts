export { type ComponentCheck, type DoctorOptions, type DoctorReport, runDoctor } from "./doctor";
export { openStack, type Stack } from "./open-stack";
