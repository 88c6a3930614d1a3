import { formatTableName, type Lakehouse } from "@mlops/lakehouse";
import { z } from "zod";
import { type ReadTool, renderRows, safely } from "./architect-tool";

const schema = z.object({
  schema: z
    .string()
    .optional()
    .describe("Unity Catalog schema to list, `catalog.schema` or `schema`; default: the lakehouse default schema"),
});

/** Lists the tables and views of a schema. */
export function createListTablesTool(services: { lakehouse: () => Promise<Lakehouse> }): ReadTool<typeof schema> {
  return {
    name: "list_tables",
    effect: "read",
    description: "List the tables and views of a lakehouse schema (Unity Catalog catalog.schema).",
    schema,
    describe: (input) => `list the tables of ${input.schema ?? "the default schema"}`,
    run: (input) =>
      safely(async () => {
        const tables = await (await services.lakehouse()).listTables(input.schema);
        const rows = tables.map((t) => ({ table: formatTableName(t.name), kind: t.kind }));
        return {
          ok: true,
          summary: rows.length === 0 ? "No tables in that schema." : renderRows(rows),
          data: { tables: rows },
        };
      }),
  };
}
