import { classifySql, type Lakehouse } from "@mlops/lakehouse";
import { z } from "zod";
import { type ReadTool, renderRows, safely } from "./architect-tool";

const schema = z.object({
  sql: z.string().min(1).describe("A read-only query (SELECT, SHOW, DESCRIBE…); anything else is refused"),
  limit: z.number().int().min(1).max(500).default(50).describe("Rows to return at most"),
});

/** Runs a read-only query; writes and destructive SQL are refused before they reach the engine. */
export function createRunSqlTool(services: { lakehouse: () => Promise<Lakehouse> }): ReadTool<typeof schema> {
  return {
    name: "run_sql",
    effect: "read",
    description: "Run a read-only SQL query on the lakehouse and return the rows. Writes are refused.",
    schema,
    describe: (input) => `run the read-only query: ${input.sql}`,
    run: (input) =>
      safely(async () => {
        const c = classifySql(input.sql);
        if (c.verdict !== "read") {
          return {
            ok: false,
            summary: `Refused: this SQL is ${c.verdict} (${c.reasons.join("; ") || "not a read"}). Only read-only queries run here; destructive steps need a dedicated tool and a person's approval.`,
            data: c,
          };
        }
        const { rows } = await (await services.lakehouse()).query(input.sql);
        return {
          ok: true,
          summary: `${rows.length} row(s)\n${renderRows(rows, undefined, input.limit)}`,
          data: { rows: rows.slice(0, input.limit), rowCount: rows.length },
        };
      }),
  };
}
