import { ChatOpenAI } from "@langchain/openai";
import { type EndpointRegistry, type ResolvedEndpoint, resolveEndpoint } from "@mlops/llm";
import type { ArchitectTool } from "../tools/architect-tool";
import { createChatModelPlanner } from "./chat-model-planner";
import { createCommandPlanner } from "./command-planner";
import type { Planner } from "./planner";

/** The endpoint name (or alias) that selects the planner model: `endpoints.entries[].name` or `endpoints.aliases`. */
export const PLANNER_ENDPOINT = "agent.planner";

/** A `ChatOpenAI` on any OpenAI-compatible endpoint (Databricks serving endpoints included). */
export function createPlannerModel(endpoint: ResolvedEndpoint): ChatOpenAI {
  return new ChatOpenAI({
    model: endpoint.model,
    apiKey: endpoint.apiKeyValue ?? "not-needed",
    configuration: { baseURL: endpoint.baseUrl },
    temperature: 0,
    timeout: endpoint.timeoutMs,
    maxRetries: 2,
  });
}

/** Whether the registry names a planner endpoint. */
export function hasPlannerEndpoint(endpoints: EndpointRegistry | undefined): boolean {
  if (!endpoints) return false;
  return endpoints.get(PLANNER_ENDPOINT) !== undefined || PLANNER_ENDPOINT in endpoints.aliases();
}

/**
 * The model planner when an `agent.planner` endpoint is configured, else the offline command planner.
 * @throws LlmError when the planner endpoint is configured but lacks credentials (the message names them).
 */
export function resolvePlanner(options: {
  endpoints?: EndpointRegistry | undefined;
  tools: Iterable<ArchitectTool>;
}): Planner {
  if (!options.endpoints || !hasPlannerEndpoint(options.endpoints)) return createCommandPlanner();
  const endpoint = resolveEndpoint(PLANNER_ENDPOINT, options.endpoints);
  return createChatModelPlanner({
    model: createPlannerModel(endpoint),
    tools: options.tools,
    name: `model ${endpoint.name} (${endpoint.model})`,
  });
}
