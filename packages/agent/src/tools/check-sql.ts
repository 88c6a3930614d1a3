import { classifySql } from "@mlops/lakehouse";
import { z } from "zod";
import { type ReadTool, safely } from "./architect-tool";

const schema = z.object({
  sql: z.string().min(1).describe("The SQL to classify (not run)"),
});

/** Says whether SQL is a read, a write or destructive (needs approval), and why. Runs nothing. */
export function createCheckSqlTool(): ReadTool<typeof schema> {
  return {
    name: "check_sql",
    effect: "read",
    description:
      "Classify SQL without running it: read, write or destructive (needs a person's approval), with reasons.",
    schema,
    describe: (input) => `check the safety of: ${input.sql}`,
    run: (input) =>
      safely(async () => {
        const c = classifySql(input.sql);
        const lines = c.statements.map(
          (s) => `  - ${s.kind}: ${s.verdict}${s.reasons.length ? ` (${s.reasons.join("; ")})` : ""}`,
        );
        return {
          ok: true,
          summary: `Verdict: ${c.verdict}${c.verdict === "destructive" ? " — needs a person's approval to run" : ""}\n${lines.join("\n")}`,
          data: c,
        };
      }),
  };
}
