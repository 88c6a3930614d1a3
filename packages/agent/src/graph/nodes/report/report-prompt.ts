import type { StepResult } from "../../state";

const MARK: Record<StepResult["status"], string> = {
  done: "✓",
  failed: "✗",
  queued: "…",
  rejected: "⊘",
  unavailable: "✗",
};

/** The report when the planner does not write one (the offline planner): each step, its status and its result. */
export function renderReport(planner: string, results: StepResult[]): string {
  const body = results.map((r) => `${MARK[r.status]} ${r.description}\n${indent(r.summary)}`);
  return [`(${planner})`, ...body].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
