import { formatTableName, type Lakehouse } from "@mlops/lakehouse";
import { z } from "zod";
import { type ReadTool, renderRows, safely } from "./architect-tool";

const schema = z.object({
  table: z.string().min(1).describe("Table to describe: catalog.schema.table, schema.table or table"),
});

/** Columns, row count, format and version of one table. */
export function createDescribeTableTool(services: { lakehouse: () => Promise<Lakehouse> }): ReadTool<typeof schema> {
  return {
    name: "describe_table",
    effect: "read",
    description: "Describe a lakehouse table: columns and types, row count, format, partitioning and version.",
    schema,
    describe: (input) => `describe ${input.table}`,
    run: (input) =>
      safely(async () => {
        const d = await (await services.lakehouse()).describeTable(input.table);
        const header = `${formatTableName(d.name)} (${d.kind}, ${d.format}${d.rowCount === undefined ? "" : `, ${d.rowCount} rows`}${d.version === undefined ? "" : `, version ${d.version}`})`;
        const columns = d.columns.map((c) => ({ column: c.name, type: c.type, nullable: c.nullable }));
        return {
          ok: true,
          summary: `${header}\n${renderRows(columns)}`,
          data: { ...d, name: formatTableName(d.name) },
        };
      }),
  };
}
