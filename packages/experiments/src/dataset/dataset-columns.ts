import { z } from "zod";

/** Which columns hold the label, the text and (optionally) the sentiment. */
export const datasetColumnsSchema = z.object({
  /** @defaultValue "category" */
  labelCol: z.string().min(1).default("category").describe("Column with the category label"),
  /** Joined with a newline to make the item's text. @defaultValue ["title", "content"] */
  textCols: z.array(z.string().min(1)).min(1).default(["title", "content"]).describe("Columns that make the text"),
  /** Column with Positive / Neutral / Negative labels; absent: no sentiment task. */
  sentimentCol: z.string().min(1).optional().describe("Column with the sentiment label"),
});

export type DatasetColumns = z.output<typeof datasetColumnsSchema>;
export type DatasetColumnsInput = z.input<typeof datasetColumnsSchema>;
