import pc from "picocolors";

/** Strips ANSI colour codes, to measure what a cell shows. */
function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}

/** A plain text table with a bold header and aligned columns. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell + " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(cell))))
      .join("  ")
      .trimEnd();
  return [pc.bold(line(headers)), ...rows.map(line)].join("\n");
}

export const ok = (text: string) => pc.green(`✔ ${text}`);
export const bad = (text: string) => pc.red(`✘ ${text}`);
export const note = (text: string) => pc.dim(text);
