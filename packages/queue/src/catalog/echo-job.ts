import { z } from "zod";
import { defineJob } from "./define-job";

/** The demonstration job: travels api → queue → worker → result, with an optional delay to watch it run. */
export const echoJob = defineJob({
  name: "echo",
  queue: "default",
  description: "Returns its message, after an optional delay: a check that the job path works end to end.",
  payload: z.object({
    message: z.string().min(1).max(10_000).describe("Text to send back"),
    delayMs: z.number().int().min(0).max(600_000).default(0).describe("How long the worker takes, in ms"),
  }),
  result: z.object({
    message: z.string(),
    worker: z.string().describe("host:pid of the worker that ran it"),
    attempt: z.number().int(),
    startedAt: z.string(),
    finishedAt: z.string(),
  }),
  attempts: 3,
  backoffMs: 1_000,
  timeoutMs: 15 * 60_000,
});
