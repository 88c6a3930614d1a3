import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { Hono } from "hono";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves the web console's static files under `/console` (no build step; path traversal refused). */
export function consoleRoutes(webRoot: string) {
  const root = resolve(webRoot);
  return new Hono()
    .get("/console", (c) => c.redirect("/console/"))
    .get("/console/*", async (c) => {
      const relative = c.req.path.slice("/console/".length) || "index.html";
      const path = resolve(root, relative);
      if (path !== root && !path.startsWith(root + sep))
        return c.json({ error: { code: "NOT_FOUND", message: "No such file" } }, 404);
      try {
        const body = await readFile(path);
        return c.body(body, 200, { "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream" });
      } catch {
        return c.json({ error: { code: "NOT_FOUND", message: `No console file ${relative}` } }, 404);
      }
    });
}
