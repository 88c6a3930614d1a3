// Letters and digits; an inner apostrophe keeps "didn't" and "company's" whole, which negation handling relies on.
// (The typographic one is written \u2019 so that the worker's bundle stays ASCII: a one-byte string in V8.)
const TOKEN = /[\p{L}\p{N}]+(?:['\u2019][\p{L}]+)*/gu;

/** Lowercases `text` and splits it into word tokens (runs of letters and digits, inner apostrophes kept). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}
