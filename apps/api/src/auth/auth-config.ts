import { ConfigError } from "@mlops/core";
import { z } from "zod";

/**
 * The `auth:` section of mlops.config.yaml: bearer API tokens and the user each one acts as.
 *
 * @example
 * auth:
 *   tokens:
 *     - { token: "<32+ random characters>", user: ana }
 */
export const authConfigSchema = z
  .object({
    tokens: z
      .array(
        z.object({
          token: z.string().min(16, "a token has at least 16 characters"),
          user: z.string().min(1),
        }),
      )
      .default([]),
  })
  .strict();
export type AuthConfig = z.output<typeof authConfigSchema>;

/** Validates `config.sections.auth`. Missing means no tokens: every authenticated route answers 401. */
export function parseAuthConfig(section: unknown): AuthConfig {
  const result = authConfigSchema.safeParse(section ?? {});
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({
        setting: `auth.${i.path.join(".")}`,
        given: "(hidden)",
        expected: i.message,
      })),
      "mlops.config.yaml",
    );
  }
  return result.data;
}
