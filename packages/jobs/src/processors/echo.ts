import { hostname } from "node:os";
import type { JobHandler } from "../job-handler";
import { abortableSleep } from "./abortable-sleep";

export const processEcho: JobHandler<"echo"> = async ({ payload, attempt, signal }) => {
  const startedAt = new Date().toISOString();
  if (payload.delayMs > 0) await abortableSleep(payload.delayMs, signal);
  return {
    message: payload.message,
    worker: `${hostname()}:${process.pid}`,
    attempt,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
};
