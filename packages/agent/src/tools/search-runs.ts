import type { ModelRegistry } from "@mlops/registry";
import { z } from "zod";
import { type ReadTool, renderRows, safely } from "./architect-tool";

const schema = z.object({
  experiment: z.string().min(1).optional().describe("MLflow experiment name; default: every experiment"),
  limit: z.number().int().min(1).max(200).default(20).describe("Runs to return at most, newest first"),
});

/** Lists tracked MLflow runs with their main metrics. */
export function createSearchRunsTool(services: { registry: ModelRegistry }): ReadTool<typeof schema> {
  return {
    name: "search_runs",
    effect: "read",
    description: "List tracked MLflow runs (newest first) with status and metrics, optionally of one experiment.",
    schema,
    describe: (input) => `list the tracked runs${input.experiment ? ` of ${input.experiment}` : ""}`,
    run: (input) =>
      safely(async () => {
        const runs = await services.registry.listRuns({ experiment: input.experiment, limit: input.limit });
        const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].slice(0, 5);
        const rows = runs.map((r) => ({
          run: r.runId.slice(0, 12),
          name: r.runName,
          status: r.status,
          ...Object.fromEntries(keys.map((k) => [k, r.metrics[k]?.toFixed(3) ?? ""])),
        }));
        return {
          ok: true,
          summary: runs.length === 0 ? "No tracked runs yet." : renderRows(rows),
          data: { runs },
        };
      }),
  };
}
