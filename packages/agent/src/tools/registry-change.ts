import type { ActionSpec } from "@mlops/approvals";
import type { AliasMovePlan, ModelRegistry } from "@mlops/registry";
import { z } from "zod";
import { failure, type GatedTool, safely } from "./architect-tool";

export const registryChangeSchema = z.object({
  model: z
    .string()
    .min(1)
    .optional()
    .describe("Registered model name, e.g. news-classifier; required (ask the person when they did not say)"),
});

/**
 * A gated alias move of the registry (promotion or rollback). The approval asked for is exactly the registry's
 * `promotionAction`/`rollbackAction` (the digest the registry checks), and the move runs through
 * `registry.promote`/`rollback` with the approvals guard, which consumes that approval where the move executes.
 */
export function createRegistryChangeTool(
  kind: "promote" | "rollback",
  services: { registry: ModelRegistry },
): GatedTool<typeof registryChangeSchema> {
  const { registry } = services;
  const plan = (model: string): Promise<AliasMovePlan> =>
    kind === "promote" ? registry.planPromotion(model) : registry.planRollback(model);
  return {
    name: kind === "promote" ? "promote_challenger" : "rollback_champion",
    effect: "gated",
    description:
      kind === "promote"
        ? "Promote a model's challenger to champion (old champion becomes defeated). Waits for a person's approval."
        : "Roll a model's champion back to the previous champion. Waits for a person's approval.",
    schema: registryChangeSchema,
    describe: (input) =>
      kind === "promote"
        ? `promote the challenger of ${input.model ?? "(which model?)"} to champion (needs approval)`
        : `roll back the champion of ${input.model ?? "(which model?)"} (needs approval)`,
    async propose(input) {
      if (!input.model) {
        return {
          ok: false,
          summary: `Which model? Say e.g. "${kind === "promote" ? "promote the challenger of news-classifier" : "roll back news-classifier"}".`,
        };
      }
      try {
        const move = await plan(input.model);
        const to = move.version.version;
        const from = move.fromVersion?.version;
        const detail = [to, from];
        return {
          action: move.action as ActionSpec,
          exact: true,
          risk: {
            summary:
              kind === "promote"
                ? `${input.model}: version ${detail[0]} becomes champion${from ? `; version ${detail[1]} becomes defeated` : ""}.`
                : `${input.model}: champion goes back to version ${detail[0]} from ${detail[1]}.`,
            versionsAffected: [to, ...(from ? [from] : [])],
            reversible: true,
            undo:
              kind === "promote" ? `mlops registry rollback ${input.model}` : `mlops registry promote ${input.model}`,
          },
          summary:
            kind === "promote"
              ? `Promote ${input.model} version ${to} to champion${from ? ` (replacing version ${from})` : ""}`
              : `Roll back ${input.model}: champion ${from} → ${to}`,
        };
      } catch (error) {
        return failure(error);
      }
    },
    execute: (input, _proposal, guard, context) =>
      safely(async () => {
        const model = input.model!;
        const options = {
          approvalGuard: guard,
          actor: `architect-agent:${context.requestedBy}`,
          approvalId: context.approved[0]?.approvalId,
          reason: `chat thread ${context.threadId}`,
        };
        const result =
          kind === "promote" ? await registry.promote(model, options) : await registry.rollback(model, options);
        return {
          ok: true,
          summary:
            kind === "promote"
              ? `${model}: version ${result.champion} is champion now${result.defeated ? `; version ${result.defeated} is defeated` : ""}.`
              : `${model}: rolled back; version ${result.champion} is champion again.`,
          data: result,
        };
      }),
  };
}
