import type { ModelRegistry } from "@mlops/registry";
import { z } from "zod";
import { type ReadTool, renderRows, safely } from "./architect-tool";

const schema = z.object({
  model: z.string().min(1).describe("Registered model name, e.g. news-classifier or main.ml.news_classifier"),
});

const pct = (value: number | undefined) => (value === undefined ? "" : value.toFixed(3));

/** The champion, challenger and every version of a registered model, with its gate results. */
export function createRegistryStatusTool(services: { registry: ModelRegistry }): ReadTool<typeof schema> {
  return {
    name: "registry_status",
    effect: "read",
    description:
      "Show a registered model's aliases (champion, challenger, candidate, defeated) and versions with metrics and production gates.",
    schema,
    describe: (input) => `show the registry status of ${input.model}`,
    run: (input) =>
      safely(async () => {
        const status = await services.registry.status(input.model);
        const champion = status.aliases.champion;
        const challenger = status.aliases.challenger;
        const rows = status.versions.map((v) => ({
          version: v.version,
          aliases: v.aliases.join(","),
          role: v.role ?? "",
          ready: v.productionReady === undefined ? "" : v.productionReady ? "yes" : "no",
          accuracy: pct(v.metrics.accuracy),
          f1: pct(v.metrics.f1 ?? v.metrics.f1_macro),
          reason: v.validationReason ?? "",
        }));
        const head = [
          `${status.model}: champion ${champion ? `version ${champion}` : "none"}` +
            (challenger ? `, challenger version ${challenger} waits for review (promote it with approval)` : ""),
        ];
        return {
          ok: true,
          summary: `${head.join("\n")}\n${renderRows(rows)}`,
          data: { model: status.model, aliases: status.aliases, awaitingReview: status.awaitingReview, versions: rows },
        };
      }),
  };
}
