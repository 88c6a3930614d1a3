export { type AuthConfig, authConfigSchema, parseAuthConfig } from "./auth-config";
export { bearerAuth, userForToken } from "./bearer-auth";
