export { type ApiAppOptions, createApiApp } from "./create-api-app";
