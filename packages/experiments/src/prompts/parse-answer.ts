import { matchLabel } from "./label-synonyms";
import type { PromptLabels } from "./prompt-template";

/** What a model answered, read tolerantly. A field is `undefined` when it could not be read: it counts as invalid. */
export interface ParsedAnswer {
  category: string | undefined;
  sentiment: string | undefined;
  /** Why a requested field is invalid, for the record. */
  problems: string[];
}

const FIELD_KEYS = {
  category: ["category", "label", "topic", "class", "section"],
  sentiment: ["sentiment", "tone", "polarity"],
} as const;

/** The first balanced `{…}` in the text (quotes respected), if any. */
function firstJsonObject(text: string): string | undefined {
  for (let start = text.indexOf("{"); start !== -1; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const char = text[i];
      if (inString) {
        if (char === "\\") i++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === "{") depth++;
      else if (char === "}" && --depth === 0) {
        const candidate = text.slice(start, i + 1);
        try {
          JSON.parse(candidate);
          return candidate;
        } catch {
          break;
        }
      }
    }
  }
  return undefined;
}

function fromObject(object: Record<string, unknown>, field: keyof typeof FIELD_KEYS): string | undefined {
  const entries = Object.entries(object).map(([k, v]) => [k.trim().toLowerCase(), v] as const);
  for (const key of FIELD_KEYS[field]) {
    const value = entries.find(([k]) => k === key)?.[1];
    if (typeof value === "string") return value;
    if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  }
  return undefined;
}

function fromProse(text: string, field: keyof typeof FIELD_KEYS): string | undefined {
  for (const key of FIELD_KEYS[field]) {
    const match = new RegExp(`["']?${key}["']?\\s*[:=]\\s*["']?([^"'\\n,}]+)`, "i").exec(text);
    if (match?.[1]) return match[1].trim();
  }
  return undefined;
}

/**
 * Reads `{"category": …, "sentiment": …}` from a model's answer: inside code fences or prose, keys in any case,
 * values matched to the label space ignoring case, whitespace and punctuation, and through synonyms ("Sci/Tech",
 * "sport"). A bare label is accepted when only the category is asked for. Anything else is invalid, never dropped.
 */
export function parseAnswer(raw: string, labels: PromptLabels): ParsedAnswer {
  const text = raw.replace(/```[a-zA-Z]*\s*/g, "").replace(/```/g, "");
  const json = firstJsonObject(text);
  let object: Record<string, unknown> | undefined;
  if (json) {
    const parsed = JSON.parse(json) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) object = parsed as Record<string, unknown>;
  }
  const problems: string[] = [];
  const read = (field: keyof typeof FIELD_KEYS, space: readonly string[]): string | undefined => {
    if (space.length === 0) return undefined;
    let value = object ? fromObject(object, field) : undefined;
    value ??= fromProse(text, field);
    if (value === undefined && field === "category" && labels.sentiment.length === 0) value = text.trim();
    if (value === undefined) {
      problems.push(`no ${field} in the answer`);
      return undefined;
    }
    const label = matchLabel(value, space);
    if (!label) problems.push(`${field} "${value.slice(0, 60)}" is not one of ${space.join(", ")}`);
    return label;
  };
  return { category: read("category", labels.category), sentiment: read("sentiment", labels.sentiment), problems };
}
