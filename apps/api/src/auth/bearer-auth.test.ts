import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { parseAuthConfig } from "./auth-config";
import { bearerAuth, userForToken } from "./bearer-auth";

const auth = parseAuthConfig({ tokens: [{ token: "ana-token-0123456789", user: "ana" }] });
const app = new Hono<{ Variables: { user: string } }>()
  .use("/private/*", bearerAuth(auth))
  .get("/private/me", (c) => c.json({ user: c.get("user") }));

describe("bearer auth", () => {
  it("lets a configured token through as its user", async () => {
    const response = await app.request("/private/me", { headers: { authorization: "Bearer ana-token-0123456789" } });
    expect(await response.json()).toEqual({ user: "ana" });
  });

  it("answers 401 without a token, with an unknown one, or with another scheme", async () => {
    for (const authorization of [undefined, "Bearer nope-nope-nope-nope", "Basic YW5hOng=", "Bearer "]) {
      const response = await app.request("/private/me", {
        headers: authorization ? { authorization, "x-mlops-user": "ana" } : { "x-mlops-user": "ana" },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
    expect(userForToken(auth, "ana-token-012345678")).toBeUndefined();
  });

  it("refuses short tokens in the configuration", () => {
    expect(() => parseAuthConfig({ tokens: [{ token: "short", user: "x" }] })).toThrow(/auth.tokens.0.token/);
    expect(parseAuthConfig(undefined)).toEqual({ tokens: [] });
  });
});
