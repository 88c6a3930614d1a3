/**
 * Groups of names that mean the same label. The first member of a group that the label space contains wins, so
 * "Sci/Tech" answers "Technology" when both Technology and Science are labels, and "Sci/Tech" when that is a label.
 */
export const LABEL_SYNONYMS: readonly (readonly string[])[] = [
  ["scitech", "technology", "tech", "science and technology", "sciencetechnology", "science", "computing"],
  ["science", "scitech", "science and technology", "research"],
  ["sports", "sport", "athletics"],
  ["world news", "world", "international", "global", "world affairs", "foreign affairs"],
  ["business", "finance", "economy", "economics", "markets", "business and finance"],
  ["politics", "political", "government", "policy"],
  ["entertainment", "arts", "culture", "arts and entertainment", "media", "showbiz"],
  ["health", "medicine", "healthcare", "medical", "wellness"],
  ["positive", "pos", "good", "favorable", "favourable", "optimistic"],
  ["negative", "neg", "bad", "unfavorable", "unfavourable", "pessimistic"],
  ["neutral", "neu", "mixed", "none", "objective"],
];

/** Lowercase letters and digits only: "Sci/Tech " → "scitech", "World News" → "worldnews". */
export function normaliseLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

/** The label of `space` that `answer` names (exactly, ignoring case and punctuation, or through a synonym). */
export function matchLabel(answer: string, space: readonly string[]): string | undefined {
  const wanted = normaliseLabel(answer);
  if (wanted === "") return undefined;
  const byNorm = new Map(space.map((label) => [normaliseLabel(label), label]));
  const exact = byNorm.get(wanted);
  if (exact) return exact;
  for (const group of LABEL_SYNONYMS) {
    const members = group.map(normaliseLabel);
    if (!members.includes(wanted)) continue;
    for (const member of members) {
      const label = byNorm.get(member);
      if (label) return label;
    }
  }
  return undefined;
}
