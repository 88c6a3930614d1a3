import type { ResultHistoryPoint } from "../monitor/results-table";

const BLOCKS = "▁▂▃▄▅▆▇█";
const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

/**
 * A one-line sparkline of values (null → space), scaled from 0 (or the minimum, if negative) to `scaleMax`
 * (default: the maximum), so several columns can share one scale.
 */
export function sparkline(values: readonly (number | null)[], scaleMax?: number): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return "";
  const lo = Math.min(0, ...finite);
  const hi = Math.max(scaleMax ?? Number.NEGATIVE_INFINITY, ...finite);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return " ";
      const k = hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1));
      return BLOCKS[k];
    })
    .join("");
}

/** Values of one statistic per column, in run order: the series the chart and sparklines draw. */
export function seriesByColumn(points: readonly ResultHistoryPoint[], statistic = "psi") {
  const runs = [...new Set(points.map((p) => p.runId))];
  const columns = new Map<string, (number | null)[]>();
  for (const p of points) {
    if (p.statistic !== statistic) continue;
    if (!columns.has(p.columnName)) columns.set(p.columnName, new Array(runs.length).fill(null));
    columns.get(p.columnName)![runs.indexOf(p.runId)] = p.value;
  }
  const at = runs.map((r) => points.find((p) => p.runId === r)!.runAt);
  const thresholds = points.find((p) => p.statistic === statistic && p.warnThreshold !== null);
  return { runs, at, columns, warn: thresholds?.warnThreshold ?? null, alert: thresholds?.alertThreshold ?? null };
}

const esc = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);

/** An SVG line chart of per-column drift over runs, with the warn and alert levels as dashed lines. */
export function renderDriftSvg(monitor: string, points: readonly ResultHistoryPoint[], statistic = "psi"): string {
  const { at, columns, warn, alert } = seriesByColumn(points, statistic);
  const W = 760;
  const H = 360;
  const m = { left: 56, right: 160, top: 36, bottom: 48 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const all = [...columns.values()].flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const ymax = Math.max(1e-9, ...all, (alert ?? 0) * 1.1);
  const x = (i: number) => m.left + (at.length <= 1 ? pw / 2 : (i / (at.length - 1)) * pw);
  const y = (v: number) => m.top + ph - (Math.max(0, v) / ymax) * ph;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.left}" y="20" font-size="14" font-weight="bold">${esc(`${monitor}: ${statistic} per column over runs`)}</text>`,
    `<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}" stroke="#333"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="#333"/>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = (ymax * k) / 4;
    parts.push(`<text x="${m.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toPrecision(2)}</text>`);
  }
  for (const [level, value, colour] of [
    ["warn", warn, "#e6a700"],
    ["alert", alert, "#d62728"],
  ] as const) {
    if (value === null) continue;
    parts.push(
      `<line x1="${m.left}" y1="${y(value)}" x2="${m.left + pw}" y2="${y(value)}" stroke="${colour}" stroke-dasharray="6 4"/>`,
      `<text x="${m.left + pw + 4}" y="${y(value) + 4}" fill="${colour}">${level} ${value}</text>`,
    );
  }
  const step = Math.max(1, Math.ceil(at.length / 6));
  at.forEach((label, i) => {
    if (i % step === 0 || i === at.length - 1) {
      parts.push(`<text x="${x(i)}" y="${m.top + ph + 16}" text-anchor="middle">${esc(label.slice(0, 16))}</text>`);
    }
  });
  [...columns.entries()].forEach(([column, values], k) => {
    const colour = PALETTE[k % PALETTE.length]!;
    const pts = values.flatMap((v, i) => (v === null ? [] : [`${x(i).toFixed(1)},${y(v).toFixed(1)}`]));
    if (pts.length > 1)
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(" ")}"/>`);
    for (const p of pts) {
      const [cx, cy] = p.split(",");
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
    }
    const ly = m.top + 14 + k * 16;
    parts.push(
      `<rect x="${m.left + pw + 60}" y="${ly - 9}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${m.left + pw + 74}" y="${ly}">${esc(column)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
