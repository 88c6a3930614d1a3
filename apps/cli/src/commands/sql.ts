import { classifySql } from "@mlops/lakehouse";
import type { Command } from "commander";
import pc from "picocolors";
import { printJson, printLine } from "../output/print";

const colour = (verdict: string) =>
  verdict === "read" ? pc.green(verdict) : verdict === "write" ? pc.yellow(verdict) : pc.red(verdict);

/** `mlops sql check "<sql>"`: how much harm SQL can do (read, write, destructive) and why; runs nothing. */
export function registerSql(program: Command): void {
  const sql = program.command("sql").description("Inspect SQL before it runs");
  sql
    .command("check")
    .description("Classify SQL as read, write or destructive (destructive needs an approval); runs nothing")
    .argument("<sql>", "one or more statements")
    .option("--json", "print the classification as JSON")
    .action((text: string, options: { json?: boolean }) => {
      const classification = classifySql(text);
      if (options.json) return printJson(classification);
      printLine(`${pc.bold("verdict")}: ${colour(classification.verdict)}`);
      for (const [k, s] of classification.statements.entries()) {
        printLine(`  ${k + 1}. ${s.kind} ${colour(s.verdict)}${s.target ? ` on ${s.target}` : ""}`);
        for (const reason of s.reasons) printLine(`     - ${reason}`);
      }
      if (classification.verdict === "destructive") {
        printLine(pc.dim("Destructive SQL runs only with an approval (mlops approvals)."));
      }
    });
}
