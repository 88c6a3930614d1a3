import type { Logger } from "@mlops/core";
import type { AlertSink, MonitorAlert } from "@mlops/monitors";
import { z } from "zod";

/** What the worker needs of the `slack:` section to post alerts (the API validates the whole section). */
const slackAlertConfigSchema = z.object({
  botToken: z.string().min(8),
  approvalsChannel: z.string().min(1),
  apiUrl: z.url().default("https://slack.com/api"),
});
export type SlackAlertConfig = z.output<typeof slackAlertConfigSchema>;

/** The alert fields of `slack:`; undefined when Slack is not configured. */
export function parseSlackAlertConfig(section: unknown): SlackAlertConfig | undefined {
  if (section === undefined || section === null) return undefined;
  const result = slackAlertConfigSchema.safeParse(section);
  return result.success ? result.data : undefined;
}

const slackResponse = z.object({ ok: z.boolean(), error: z.string().optional() });

function blocks(alert: MonitorAlert) {
  const lines = alert.breaches
    .slice(0, 8)
    .map(
      (b) =>
        `• \`${b.column}\` ${b.statistic} = ${b.value.toPrecision(3)}${b.pValue === undefined ? "" : ` (p = ${b.pValue.toPrecision(3)})`} — ${b.status}`,
    );
  const action =
    alert.action.kind === "none"
      ? "No automatic action."
      : alert.action.error
        ? `${alert.action.kind} could not be started: ${alert.action.error}`
        : `${alert.action.kind} started (job ${alert.action.jobId ?? "?"}); a better model will wait for approval as challenger.`;
  return [
    { type: "section", text: { type: "mrkdwn", text: `*${alert.status.toUpperCase()}* ${alert.text}` } },
    ...(lines.length > 0 ? [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } }] : []),
    { type: "context", elements: [{ type: "mrkdwn", text: `${action} Monitor run ${alert.runId}.` }] },
  ];
}

/**
 * Posts monitor alerts to Slack with `chat.postMessage` (fetch, bot token). A failed post is logged and the alert
 * also logged, so a Slack outage never fails the monitor run.
 */
export function createSlackAlertSink(options: {
  config: SlackAlertConfig;
  logger: Logger;
  /** @defaultValue the `approvalsChannel` */
  channel?: string;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}): AlertSink {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.config.apiUrl.replace(/\/+$/, "")}/chat.postMessage`;
  return {
    async post(alert) {
      try {
        const response = await doFetch(url, {
          method: "POST",
          headers: {
            authorization: `Bearer ${options.config.botToken}`,
            "content-type": "application/json; charset=utf-8",
          },
          body: JSON.stringify({
            channel: options.channel ?? options.config.approvalsChannel,
            text: alert.text,
            blocks: blocks(alert),
          }),
          signal: AbortSignal.timeout(10_000),
        });
        const body = slackResponse.parse(await response.json());
        if (!body.ok) throw new Error(`Slack chat.postMessage failed: ${body.error ?? response.status}`);
      } catch (error) {
        options.logger.warn(
          { err: error, monitor: alert.monitor, runId: alert.runId, breaches: alert.breaches },
          `could not post the alert to Slack: ${alert.text}`,
        );
      }
    },
  };
}
