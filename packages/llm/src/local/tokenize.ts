// Letters and digits; an inner apostrophe keeps "didn't" and "company's" whole, which negation handling relies on.
const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Lowercases `text` and splits it into word tokens (runs of letters and digits, inner apostrophes kept). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}
