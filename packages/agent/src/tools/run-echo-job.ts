import type { JobProducer } from "@mlops/queue";
import { z } from "zod";
import { type JobTool, safely } from "./architect-tool";

const schema = z.object({
  message: z.string().min(1).max(10_000).describe("Text the worker sends back"),
  delayMs: z.number().int().min(0).max(600_000).default(0).describe("How long the worker takes, in ms"),
});

/** Sends a message through the queue to a worker and back: the check that the job path works. */
export function createRunEchoJobTool(services: { jobs: JobProducer }): JobTool<typeof schema> {
  return {
    name: "run_echo_job",
    effect: "job",
    description: "Enqueue the echo job on a worker and wait for its result (checks the job path end to end).",
    schema,
    describe: (input) => `run the echo job on a worker with "${input.message}"`,
    async enqueue(input, context) {
      try {
        const record = await services.jobs.enqueue("echo", input, {
          requestedBy: context.requestedBy,
          threadId: context.threadId,
          jobId: context.jobId,
        });
        return { jobId: record.id };
      } catch (error) {
        return safely(() => Promise.reject(error));
      }
    },
    outcome(record) {
      if (record.status !== "completed") {
        return {
          ok: false,
          summary: `Job ${record.id} ${record.status}: ${record.error ?? "no result"}`,
          data: record,
        };
      }
      const result = record.result as { message: string; worker: string };
      return {
        ok: true,
        summary: `The worker ${result.worker} answered: ${result.message}`,
        data: result,
      };
    },
  };
}
