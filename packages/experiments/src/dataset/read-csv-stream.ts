import { createReadStream } from "node:fs";

/**
 * Streams the rows of a CSV file (RFC 4180: quoted fields may hold commas, newlines and doubled quotes), so a
 * large file is never held in memory. A byte-order mark is skipped; blank lines yield `[""]`.
 */
export async function* readCsvRows(path: string): AsyncGenerator<string[]> {
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let pendingQuote = false;
  let afterCr = false;
  let first = true;
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 256 * 1024 })) {
    let text = chunk as string;
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const ready: string[][] = [];
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (afterCr) {
        afterCr = false;
        if (char === "\n") continue;
      }
      if (pendingQuote) {
        pendingQuote = false;
        if (char === '"') {
          field += '"';
          continue;
        }
        quoted = false;
      }
      if (quoted) {
        if (char === '"') pendingQuote = true;
        else field += char;
      } else if (char === '"') quoted = true;
      else if (char === ",") {
        row.push(field);
        field = "";
      } else if (char === "\n" || char === "\r") {
        afterCr = char === "\r";
        row.push(field);
        ready.push(row);
        row = [];
        field = "";
      } else field += char;
    }
    yield* ready;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    yield row;
  }
}
