import type { ExperimentReport, ModelReport } from "../run/summarize-experiment";

const pct = (x: number | undefined) => (x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);
const num = (x: number, digits = 1) => x.toFixed(digits);
const usd = (x: number) => (x === 0 ? "$0" : `$${x.toFixed(x < 0.01 ? 5 : 3)}`);
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** The parent run's `comparison.md`: the side-by-side table, significance, recommendation and notes. */
export function comparisonMarkdown(
  report: ExperimentReport,
  childRuns: ReadonlyMap<string, string> = new Map(),
): string {
  const lines: string[] = [];
  lines.push(`# Experiment ${report.experimentId}`, "");
  lines.push(`- status: **${report.status}**`);
  if (report.dataset) {
    const d = report.dataset;
    lines.push(
      `- dataset: \`${d.source}\` — ${d.rows} rows, ${d.trainItems} for training, ${d.scoredItems} test items scored`,
    );
  }
  lines.push(`- prompt: \`${report.promptVersion ?? "—"}\``);
  lines.push(`- primary task: ${report.primaryTask}`);
  if (report.simulated) lines.push("- **SIMULATED**: some answers come from the endpoint simulator, not a real model");
  lines.push("", "## Models", "");
  lines.push(
    "| model | run | track | status | items | cat acc | cat F1 | sent acc | sent F1 | invalid | p50 ms | p95 ms | max ms | tokens | cost | $/1k |",
  );
  lines.push("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const row = (m: ModelReport) =>
    [
      `${cell(m.model)}${m.simulated ? " (simulated)" : ""}`,
      childRuns.get(m.model) ? `\`${childRuns.get(m.model)}\`` : "—",
      m.track,
      m.status,
      String(m.evaluated),
      pct(m.category?.accuracy),
      pct(m.category?.macro.f1),
      pct(m.sentiment?.accuracy),
      pct(m.sentiment?.macro.f1),
      pct(m.category?.invalidRate ?? m.sentiment?.invalidRate),
      num(m.latencyMs.p50),
      num(m.latencyMs.p95),
      num(m.latencyMs.max),
      String(m.tokens.total),
      usd(m.cost.totalUsd),
      usd(m.cost.per1kItemsUsd),
    ].join(" | ");
  for (const m of report.models) lines.push(`| ${row(m)} |`);
  const c = report.comparison;
  if (c) {
    const ci = (x: { estimate: number; low: number; high: number }) =>
      `${pct(x.estimate)} [${pct(x.low)}, ${pct(x.high)}]`;
    lines.push("", `## Significance (${c.task}, ${c.items} shared items)`, "");
    lines.push(`- ${cell(c.a)}: ${ci(c.accuracyA)}`);
    lines.push(`- ${cell(c.b)}: ${ci(c.accuracyB)}`);
    lines.push(`- difference: ${ci(c.difference)} (95% paired bootstrap)`);
    lines.push(
      `- McNemar (${c.mcnemar.method}): ${c.mcnemar.aOnly} vs ${c.mcnemar.bOnly} discordant, p = ${c.mcnemar.pValue.toPrecision(3)}`,
    );
    lines.push("", c.verdict);
  }
  lines.push("", "## Recommendation", "");
  lines.push(`**${report.decision.model ?? "none"}** (${report.decision.rule})`, "");
  for (const reason of report.decision.reasons) lines.push(`- ${reason}`);
  if (report.spend.maxCostUsd !== null) {
    lines.push(
      "",
      `Spend: ${usd(report.spend.spentUsd)} of the $${report.spend.maxCostUsd} cap${report.spend.stoppedAtCap ? " — stopped at the cap" : ""}`,
    );
  }
  if (report.notes.length > 0) {
    lines.push("", "## Notes", "");
    for (const note of report.notes) lines.push(`- ${note}`);
  }
  return `${lines.join("\n")}\n`;
}
