import { type StructuredToolInterface, tool } from "@langchain/core/tools";
import type { ArchitectTool } from "./architect-tool";

/**
 * The tools as LangChain tools, for binding to a chat model. The graph runs tools itself (plan, approval, act),
 * so calling one of these directly only says so.
 */
export function toChatTools(tools: Iterable<ArchitectTool>): StructuredToolInterface[] {
  return [...tools].map((t) =>
    tool(async () => "The architect graph runs tools after showing the plan.", {
      name: t.name,
      description: t.effect === "gated" ? `${t.description} (needs a person's approval)` : t.description,
      schema: t.schema,
    }),
  );
}
