import type { AppConfig } from "@mlops/core";
import { isJobName, JOB_CATALOG, type JobName, type JobRecord, QueueError } from "@mlops/queue";
import type { Command } from "commander";
import pc from "picocolors";
import { connectBackend } from "../backend/connect";
import { printJson, printLine, say } from "../output/print";
import { renderTable } from "../output/table";

function statusColour(status: string): string {
  if (status === "completed") return pc.green(status);
  if (status === "failed" || status === "cancelled") return pc.red(status);
  return pc.yellow(status);
}

function parsePayloadOption(raw: string | undefined, extra: Record<string, unknown>): Record<string, unknown> {
  let payload: Record<string, unknown> = {};
  if (raw) {
    try {
      payload = JSON.parse(raw);
    } catch {
      throw new QueueError("JOB_PAYLOAD_INVALID", `--payload is not valid JSON: ${raw}`, {
        hint: `Example: --payload '{"message":"hello"}'`,
      });
    }
  }
  return { ...payload, ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) };
}

export function registerJobs(program: Command, loadConfig: () => AppConfig): void {
  const jobs = program.command("jobs").description("Enqueue, list and inspect jobs");

  jobs
    .command("enqueue")
    .description("Put a job on its queue and (by default) wait for its result")
    .argument("<name>", `job name (${Object.keys(JOB_CATALOG).join(", ")})`)
    .option("--payload <json>", "the job's payload as JSON")
    .option("--message <text>", "echo: the message")
    .option("--delay-ms <ms>", "echo: how long the worker takes", (v) => Number.parseInt(v, 10))
    .option("--no-wait", "return as soon as the job is queued")
    .option("--json", "print the job record as JSON")
    .action(
      async (
        name: string,
        options: { payload?: string; message?: string; delayMs?: number; wait: boolean; json?: boolean },
      ) => {
        if (!isJobName(name)) {
          throw new QueueError("JOB_UNKNOWN", `Unknown job "${name}".`, {
            hint: `Known jobs: ${Object.keys(JOB_CATALOG).join(", ")}.`,
          });
        }
        const payload = parsePayloadOption(options.payload, {
          message: options.message ?? (name === "echo" && !options.payload ? "hello from mlops" : undefined),
          delayMs: options.delayMs,
        });
        const backend = await connectBackend(loadConfig(), { worker: options.wait });
        try {
          let record = await backend.enqueue(name as JobName, payload);
          say(`queued ${record.name} job ${record.id}`);
          if (options.wait) {
            record = await backend.waitForJob(record.id, {
              onProgress: (r) => say(`  ${r.id}: ${r.status}${r.attempts > 1 ? ` (attempt ${r.attempts})` : ""}`),
            });
          }
          if (options.json) printJson(record);
          else printRecord(record);
          if (record.status === "failed") process.exitCode = 1;
        } finally {
          await backend.close();
        }
      },
    );

  jobs
    .command("list")
    .description("The most recent jobs and their status")
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 20)
    .option("--json", "print as JSON")
    .action(async (options: { limit: number; json?: boolean }) => {
      const backend = await connectBackend(loadConfig(), { worker: false, quiet: options.json });
      try {
        const records = await backend.listJobs(options.limit);
        if (options.json) return printJson({ jobs: records });
        if (records.length === 0) return printLine("No jobs yet. Try `mlops jobs enqueue echo`.");
        printLine(
          renderTable(
            ["id", "name", "status", "attempts", "created", "finished"],
            records.map((r) => [
              r.id,
              r.name,
              statusColour(r.status),
              String(r.attempts),
              r.createdAt,
              r.finishedAt ?? "",
            ]),
          ),
        );
      } finally {
        await backend.close();
      }
    });

  jobs
    .command("show")
    .description("One job, with its payload and result")
    .argument("<id>")
    .option("--json", "print as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const backend = await connectBackend(loadConfig(), { worker: false, quiet: options.json });
      try {
        const record = await backend.getJob(id);
        if (options.json) printJson(record);
        else printRecord(record);
      } finally {
        await backend.close();
      }
    });

  jobs
    .command("catalog")
    .description("Every job the product knows, with its queue, retries and timeout")
    .option("--json", "print as JSON")
    .action((options: { json?: boolean }) => {
      const rows = Object.values(JOB_CATALOG).map((d) => ({
        name: d.name,
        queue: d.queue,
        attempts: d.attempts,
        timeoutMs: d.timeoutMs,
        description: d.description,
      }));
      if (options.json) return printJson({ jobs: rows });
      printLine(
        renderTable(
          ["name", "queue", "attempts", "timeout", "description"],
          rows.map((r) => [r.name, r.queue, String(r.attempts), `${r.timeoutMs / 1000}s`, r.description]),
        ),
      );
    });
}

function printRecord(record: JobRecord): void {
  printLine(`${pc.bold(record.name)} ${record.id}  ${statusColour(record.status)}  attempts: ${record.attempts}`);
  printLine(`  payload: ${JSON.stringify(record.payload)}`);
  if (record.result !== null) printLine(`  result:  ${JSON.stringify(record.result)}`);
  if (record.error) printLine(`  error:   ${pc.red(record.error)}`);
}
