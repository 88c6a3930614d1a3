import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AuthConfig } from "./auth-config";

function hash(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** The user a bearer token belongs to. Compares digests in constant time, against every token, so timing says nothing. */
export function userForToken(config: AuthConfig, token: string): string | undefined {
  const given = hash(token);
  let user: string | undefined;
  for (const entry of config.tokens) {
    if (timingSafeEqual(given, hash(entry.token)) && user === undefined) user = entry.user;
  }
  return user;
}

/**
 * Requires `Authorization: Bearer <token>` with a token from the `auth:` configuration and sets the `user`
 * variable to its user; anything else is 401 (the caller's claimed user header is ignored).
 */
export function bearerAuth(config: AuthConfig): MiddlewareHandler<{ Variables: { user: string } }> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const user = match ? userForToken(config, match[1]!) : undefined;
    if (!user) {
      c.header("WWW-Authenticate", 'Bearer realm="mlops"');
      return c.json(
        {
          error: {
            code: "UNAUTHORIZED",
            message: match ? "The API token is not valid." : "This route needs an API token.",
            hint: "Send `Authorization: Bearer <token>` with a token from the auth: section (the CLI reads MLOPS_API_TOKEN).",
          },
        },
        401,
      );
    }
    c.set("user", user);
    await next();
  };
}
