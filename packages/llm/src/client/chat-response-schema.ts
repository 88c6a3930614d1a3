import { z } from "zod";

// Databricks gpt-oss and some gateways answer with content parts (reasoning, then text) instead of a string.
const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

/** The subset of an OpenAI chat-completions response this package reads. */
export const chatCompletionResponseSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
        }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z
    .looseObject({
      prompt_tokens: z.number().int().nonnegative().optional(),
      completion_tokens: z.number().int().nonnegative().optional(),
    })
    .nullable()
    .optional(),
});

export type ChatCompletionResponse = z.infer<typeof chatCompletionResponseSchema>;

/** The answer text: the string content, or the `text` parts joined (reasoning parts left out). */
export function completionText(response: ChatCompletionResponse): string {
  const content = response.choices[0]?.message.content;
  if (typeof content === "string") return content;
  if (!content) return "";
  return content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("");
}

/** The error message an endpoint put in a failed response body (OpenAI, Databricks and Anthropic shapes). */
export function errorMessageFromBody(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object") {
      const record = parsed as Record<string, unknown>;
      const error = record.error;
      if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
        return (error as { message: string }).message;
      }
      if (typeof error === "string") return error;
      if (typeof record.message === "string") return record.message;
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const trimmed = body.trim();
  return trimmed ? trimmed.slice(0, 300) : undefined;
}
