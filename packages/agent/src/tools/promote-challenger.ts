import type { ModelRegistry } from "@mlops/registry";
import type { GatedTool } from "./architect-tool";
import { createRegistryChangeTool, type registryChangeSchema } from "./registry-change";

/** `promote_challenger`: challenger → champion, only with an approval of exactly the registry's promotion action. */
export function createPromoteChallengerTool(services: {
  registry: ModelRegistry;
}): GatedTool<typeof registryChangeSchema> {
  return createRegistryChangeTool("promote", services);
}
