import { basename } from "node:path";
import type { ResolvedPipeline } from "../spec/load-spec";

const COLOURS = { bronze: "#cd7f32", silver: "#a8a9ad", gold: "#d4af37", input: "#6b7280" } as const;

interface Node {
  id: string;
  label: string;
  detail: string;
  kind: keyof typeof COLOURS;
  depth: number;
}

function graph(pipeline: ResolvedPipeline): { nodes: Node[]; edges: [string, string][] } {
  const nodes: Node[] = [];
  const edges: [string, string][] = [];
  const depth = new Map<string, number>();
  const inputs = new Map<string, Node>();
  const input = (id: string, label: string, detail: string) => {
    if (!inputs.has(id)) {
      const node: Node = { id, label, detail, kind: "input", depth: 0 };
      inputs.set(id, node);
      nodes.push(node);
    }
    return id;
  };
  for (const step of pipeline.steps) {
    const from: string[] = [...step.dependsOn];
    if (step.sourcePath) from.push(input(`file_${step.name}`, basename(step.sourcePath), "CSV file"));
    for (const external of step.externalInputs) {
      from.push(input(`ext_${external.replace(/\W/g, "_")}`, external, "external table"));
    }
    if (step.spec.score) from.push(input(`model_${step.name}`, step.spec.score.model, "model"));
    const d = Math.max(0, ...from.map((f) => (depth.get(f) ?? 0) + 1));
    depth.set(step.name, from.length === 0 ? 0 : d);
    nodes.push({
      id: step.name,
      label: step.tableName,
      detail: `${step.spec.layer} · ${step.spec.mode}${step.spec.expectations.length ? ` · ${step.spec.expectations.length} expectations` : ""}`,
      kind: step.spec.layer,
      depth: depth.get(step.name)!,
    });
    for (const f of from) edges.push([f, step.name]);
  }
  return { nodes, edges };
}

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** The DAG as a Mermaid flowchart (renders on GitHub, in notebooks and in the web console). */
export function renderMermaid(pipeline: ResolvedPipeline): string {
  const { nodes, edges } = graph(pipeline);
  const lines = ["flowchart LR"];
  for (const n of nodes) {
    const text = `${n.label}<br/>${n.detail}`.replaceAll('"', "'");
    lines.push(n.kind === "input" ? `  ${n.id}[("${text}")]:::input` : `  ${n.id}["${text}"]:::${n.kind}`);
  }
  for (const [a, b] of edges) lines.push(`  ${a} --> ${b}`);
  for (const [kind, colour] of Object.entries(COLOURS)) {
    lines.push(`  classDef ${kind} fill:${colour},stroke:#333,color:#111`);
  }
  return `${lines.join("\n")}\n`;
}

/** The DAG as a standalone SVG picture: inputs on the left, one column per depth, coloured by layer. */
export function renderSvg(pipeline: ResolvedPipeline): string {
  const { nodes, edges } = graph(pipeline);
  const width = 250;
  const height = 54;
  const gapX = 70;
  const gapY = 24;
  const columns = new Map<number, Node[]>();
  for (const n of nodes) columns.set(n.depth, [...(columns.get(n.depth) ?? []), n]);
  const at = new Map<string, { x: number; y: number }>();
  for (const [depth, column] of columns) {
    for (const [k, n] of column.entries())
      at.set(n.id, { x: 20 + depth * (width + gapX), y: 50 + k * (height + gapY) });
  }
  const totalWidth = 40 + Math.max(...columns.keys()) * (width + gapX) + width;
  const totalHeight = 70 + Math.max(...[...columns.values()].map((c) => c.length)) * (height + gapY);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}" font-family="sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`,
    `<text x="20" y="28" font-size="16" font-weight="bold">${escapeXml(`pipeline ${pipeline.name}`)}</text>`,
  ];
  for (const [a, b] of edges) {
    const p = at.get(a)!;
    const r = at.get(b)!;
    const x1 = p.x + width;
    const y1 = p.y + height / 2;
    const x2 = r.x;
    const y2 = r.y + height / 2;
    const mid = (x1 + x2) / 2;
    parts.push(
      `<path d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" fill="none" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>`,
    );
  }
  for (const n of nodes) {
    const p = at.get(n.id)!;
    const rx = n.kind === "input" ? 18 : 6;
    parts.push(
      `<g><rect x="${p.x}" y="${p.y}" width="${width}" height="${height}" rx="${rx}" fill="${COLOURS[n.kind]}" fill-opacity="0.35" stroke="#333"/>`,
      `<text x="${p.x + 10}" y="${p.y + 22}" font-size="12" font-weight="bold">${escapeXml(truncate(n.label, 36))}</text>`,
      `<text x="${p.x + 10}" y="${p.y + 40}" font-size="11" fill="#333">${escapeXml(truncate(n.detail, 40))}</text></g>`,
    );
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
