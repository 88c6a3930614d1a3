import { z } from "zod";
import { RegistryError } from "./registry-error";

/**
 * The `criteria:` section of `mlops.config.yaml`: the gates a model version must pass to be production ready.
 * Thresholds are fractions (0.90 is 90 %); `beatChampionBy` is how much accuracy a version must add over the
 * champion to become challenger (0.02 is two points).
 */
export const productionCriteriaSchema = z
  .object({
    accuracy: z.number().min(0).max(1).default(0.9).describe("Minimum accuracy"),
    f1: z.number().min(0).max(1).default(0.85).describe("Minimum F1 (macro)"),
    precision: z.number().min(0).max(1).default(0.8).describe("Minimum precision (macro)"),
    recall: z.number().min(0).max(1).default(0.8).describe("Minimum recall (macro)"),
    beatChampionBy: z.number().min(0).max(1).default(0.02).describe("Accuracy a challenger adds over the champion"),
    duplicateTolerance: z
      .number()
      .min(0)
      .max(0.1)
      .default(0.001)
      .describe("Accuracy and F1 this close to an existing version's make a duplicate"),
  })
  .strict();
export type ProductionCriteria = z.output<typeof productionCriteriaSchema>;
export type ProductionCriteriaInput = z.input<typeof productionCriteriaSchema>;

/** The seed's defaults: accuracy ≥ 0.90, F1 ≥ 0.85, precision ≥ 0.80, recall ≥ 0.80, beat the champion by 2 points. */
export const DEFAULT_CRITERIA: ProductionCriteria = productionCriteriaSchema.parse({});

/** Validates the `criteria:` section (undefined gives the defaults); a bad one names each bad field. */
export function parseCriteria(section: unknown): ProductionCriteria {
  const result = productionCriteriaSchema.safeParse(section ?? {});
  if (!result.success) {
    const fields = result.error.issues.map((i) => `criteria.${i.path.join(".")}: ${i.message}`).join("; ");
    throw new RegistryError("REGISTRY_INVALID_CRITERIA", `Invalid criteria section: ${fields}`, {
      hint: "Thresholds are fractions between 0 and 1, e.g. `criteria: { accuracy: 0.9, f1: 0.85 }`.",
      context: { issues: result.error.issues },
    });
  }
  return result.data;
}
