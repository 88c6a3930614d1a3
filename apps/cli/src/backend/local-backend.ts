import { type AppConfig, createLogger } from "@mlops/core";
import type { JobProcessing } from "@mlops/jobs";
import { openStack, type Stack } from "@mlops/stack";
import type { Backend } from "./backend";

/**
 * Opens the stack in this process. With `worker: true` it also runs an in-process worker until the command
 * ends, so jobs complete without `mlops up`.
 */
export async function createLocalBackend(config: AppConfig, options: { worker: boolean }): Promise<Backend> {
  const logger = createLogger({ level: config.logLevel === "info" ? "warn" : config.logLevel, name: "cli" });
  const stack: Stack = await openStack(config, logger);
  const worker: JobProcessing | undefined = options.worker ? stack.startWorker() : undefined;
  return {
    description: worker
      ? `no running stack; using an in-process worker (${worker.workerId}) for this command`
      : "no running stack; reading the local database",
    enqueue: (name, payload) => stack.jobs.enqueue(name, payload as never, { requestedBy: "cli" }),
    getJob: (id) => stack.jobs.get(id),
    listJobs: (limit) => stack.jobs.list(limit),
    waitForJob: (id, waitOptions) => stack.jobs.waitFor(id, waitOptions),
    close: () => stack.close(),
  };
}
