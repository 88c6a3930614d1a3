import { formatTableName, type Lakehouse, parseTableName, quoteTableName } from "@mlops/lakehouse";
import { z } from "zod";
import { failure, type GatedTool, safely } from "./architect-tool";

const schema = z.object({
  table: z.string().min(1).describe("Table to drop: catalog.schema.table, schema.table or table"),
});

/**
 * Drops a table. Destructive: it runs only through `lakehouse.executeDestructive` with a guard that consumes a
 * person's approval of exactly this DROP statement.
 */
export function createDropTableTool(services: { lakehouse: () => Promise<Lakehouse> }): GatedTool<typeof schema> {
  return {
    name: "drop_table",
    effect: "gated",
    description: "Drop a lakehouse table. Destructive: waits for a person's approval before it runs.",
    schema,
    describe: (input) => `drop the table ${input.table} (needs approval)`,
    async propose(input) {
      try {
        const lakehouse = await services.lakehouse();
        const name = parseTableName(input.table, lakehouse.defaults);
        const description = await lakehouse.describeTable(name);
        const target = formatTableName(name);
        const rows = description.rowCount;
        const reversible = lakehouse.capabilities.tableVersions;
        return {
          action: { kind: "lakehouse.sql", target, sql: `DROP TABLE ${quoteTableName(name, lakehouse.engine)}` },
          risk: {
            summary: `Drops ${target}${rows === undefined ? "" : ` and its ${rows} rows`}.`,
            ...(rows === undefined ? {} : { rowsAffected: rows }),
            reversible,
            ...(reversible ? { undo: `UNDROP TABLE ${target} (Unity Catalog, within 7 days)` } : {}),
          },
          summary: `DROP TABLE ${target}${rows === undefined ? "" : ` (${rows} rows)`}${reversible ? "" : " — cannot be undone"}`,
        };
      } catch (error) {
        return failure(error);
      }
    },
    execute: (_input, proposal, guard) =>
      safely(async () => {
        if (!proposal) return { ok: false, summary: "Not run: dropping a table needs an approved proposal." };
        const sql = proposal.action.sql!;
        const lakehouse = await services.lakehouse();
        const result = await lakehouse.executeDestructive(sql, {
          approvalGuard: async (action) => {
            if (action.type !== "lakehouse.sql" || action.sql !== sql) {
              throw new Error("the statement differs from the one that was approved");
            }
            await guard(proposal.action);
          },
        });
        return {
          ok: true,
          summary: `Dropped ${proposal.action.target}.`,
          data: { target: proposal.action.target, versionsBefore: result.versionsBefore },
        };
      }),
  };
}
