import type { ModelRegistry } from "@mlops/registry";
import type { GatedTool } from "./architect-tool";
import { createRegistryChangeTool, type registryChangeSchema } from "./registry-change";

/** `rollback_champion`: champion → previous champion, only with an approval of exactly the rollback action. */
export function createRollbackChampionTool(services: {
  registry: ModelRegistry;
}): GatedTool<typeof registryChangeSchema> {
  return createRegistryChangeTool("rollback", services);
}
