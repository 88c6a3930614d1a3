import { ConfigError } from "@mlops/core";
import { z } from "zod";

/**
 * The `slack:` section of mlops.config.yaml.
 *
 * @example
 * slack:
 *   signingSecret: "<from the app's Basic Information page>"
 *   botToken: "xoxb-…"
 *   approvalsChannel: "C0123456789"
 */
export const slackConfigSchema = z
  .object({
    signingSecret: z.string().min(8).describe("Verifies that requests come from Slack"),
    botToken: z.string().min(8).describe("Bot token (xoxb-…) for chat.postMessage and chat.update"),
    approvalsChannel: z.string().min(1).describe("Channel id where approval requests are posted"),
    /** Web API base URL; tests point it at a local fake. @defaultValue https://slack.com/api */
    apiUrl: z.url().default("https://slack.com/api"),
    /** Requests older than this are refused. @defaultValue 300 */
    maxAgeSeconds: z.number().int().min(30).max(3600).default(300),
  })
  .strict();
export type SlackConfig = z.output<typeof slackConfigSchema>;

/** Validates `config.sections.slack`; undefined when Slack is not configured (the routes are then not mounted). */
export function parseSlackConfig(section: unknown): SlackConfig | undefined {
  if (section === undefined || section === null) return undefined;
  const result = slackConfigSchema.safeParse(section);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({
        setting: `slack.${i.path.join(".")}`,
        given: "(hidden)",
        expected: i.message,
      })),
      "mlops.config.yaml",
    );
  }
  return result.data;
}
