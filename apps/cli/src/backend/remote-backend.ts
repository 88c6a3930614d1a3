import { isFinished, type JobRecord, QueueError } from "@mlops/queue";
import type { ApiClient } from "./api-client";
import type { Backend } from "./backend";

export function createRemoteBackend(api: ApiClient): Backend {
  const getJob = (id: string) => api.request<JobRecord>("GET", `/v1/jobs/${encodeURIComponent(id)}`);
  return {
    description: `using the running stack at ${api.baseUrl}`,
    enqueue: (name, payload) => api.request<JobRecord>("POST", "/v1/jobs", { name, payload }),
    getJob,
    listJobs: async (limit) => (await api.request<{ jobs: JobRecord[] }>("GET", `/v1/jobs?limit=${limit}`)).jobs,
    async waitForJob(id, options) {
      const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
      let lastSeen = "";
      for (;;) {
        const record = await getJob(id);
        const seen = JSON.stringify([record.status, record.progress, record.attempts]);
        if (seen !== lastSeen) {
          lastSeen = seen;
          options.onProgress?.(record);
        }
        if (isFinished(record.status)) return record;
        if (Date.now() > deadline) {
          throw new QueueError("JOB_WAIT_TIMEOUT", `Job ${id} is still ${record.status}.`, {
            hint: `It goes on in the background; follow it with \`mlops jobs show ${id}\`.`,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
      }
    },
    close: async () => {},
  };
}
