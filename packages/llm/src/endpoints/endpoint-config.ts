import { z } from "zod";

/** Which credential an endpoint authenticates with. */
export const apiKeyRefSchema = z
  .union([
    z.enum(["databricks", "openai", "anthropic", "none"]),
    z
      .object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) })
      .strict()
      .describe("a named secret the app reads from its environment and passes in `credentials.secrets`"),
    z
      .object({ literal: z.string().min(1) })
      .strict()
      .describe("a key written in the config (local servers only)"),
  ])
  .describe("Credential: databricks | openai | anthropic | none | { env: NAME } | { literal: value }");

export type ApiKeyRef = z.infer<typeof apiKeyRefSchema>;

/** Requests per second and/or tokens per minute, enforced across every worker through Redis. */
export const rateLimitSchema = z
  .object({
    requestsPerSecond: z.number().positive().optional(),
    tokensPerMinute: z.number().int().positive().optional(),
    /** Requests allowed at once above the steady rate. @defaultValue 1 */
    burst: z.number().int().positive().optional(),
  })
  .strict();

export type RateLimit = z.infer<typeof rateLimitSchema>;

/** One entry of the `endpoints:` section of mlops.config.yaml. */
export const endpointConfigSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._:-]*$/, "letters, digits, . _ : -"),
    /** OpenAI-compatible base URL (`…/v1`, `https://<host>/serving-endpoints`). Databricks entries may leave it out. */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    model: z.string().min(1),
    /** `external`: a third-party provider (guardrail on); `internal`: hosted in the workspace or on our own machines. */
    track: z.enum(["external", "internal"]),
    apiKey: apiKeyRefSchema,
    /** USD per million tokens (list price; override with your contract price). */
    pricePerMillion: z
      .object({ input: z.number().nonnegative(), output: z.number().nonnegative() })
      .strict()
      .default({ input: 0, output: 0 }),
    rateLimit: rateLimitSchema.optional(),
    /** Requests in flight at once per process; adaptive concurrency never exceeds it. @defaultValue 8 */
    maxConcurrency: z.number().int().positive().default(8),
    /** Per attempt. @defaultValue 60000 */
    timeoutMs: z.number().int().positive().default(60_000),
    description: z.string().optional(),
  })
  .strict();

export type EndpointConfig = z.infer<typeof endpointConfigSchema>;
export type EndpointConfigInput = z.input<typeof endpointConfigSchema>;

/** The `endpoints:` section: a list of entries, and optional aliases (`fast: databricks-gpt-oss-20b`). */
export const endpointsSectionSchema = z
  .object({
    entries: z.array(endpointConfigSchema).default([]),
    aliases: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export type EndpointsSection = z.infer<typeof endpointsSectionSchema>;
