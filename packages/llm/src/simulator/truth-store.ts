import type { SimulatedLabel } from "./simulated-labels";

/** Registered truth by item text; a prompt is matched to the item whose text it contains. */
export interface TruthStore {
  register(items: ReadonlyArray<{ text: string; label: Partial<SimulatedLabel> }>): void;
  /** The item the prompt is about: exact match of a message first, then the longest registered text it contains. */
  find(messages: readonly string[]): { text: string; label: Partial<SimulatedLabel> } | undefined;
  readonly size: number;
}

/** Whitespace-insensitive, so a prompt template may re-wrap the article. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

export function createTruthStore(): TruthStore {
  const items = new Map<string, Partial<SimulatedLabel>>();
  return {
    get size() {
      return items.size;
    },
    register(entries) {
      for (const entry of entries) items.set(normaliseText(entry.text), entry.label);
    },
    find(messages) {
      const normalised = messages.map(normaliseText);
      for (const message of normalised) {
        const label = items.get(message);
        if (label) return { text: message, label };
      }
      const prompt = normalised.join("\n");
      let best: string | undefined;
      for (const text of items.keys()) {
        if (text.length > (best?.length ?? 0) && prompt.includes(text)) best = text;
      }
      return best === undefined ? undefined : { text: best, label: items.get(best)! };
    },
  };
}
