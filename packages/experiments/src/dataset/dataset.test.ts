import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { datasetColumnsSchema } from "./dataset-columns";
import { resolveDatasetSource } from "./dataset-source";
import { planAllTest, planSplit } from "./plan-split";
import { type DatasetRecord, type DatasetRow, readDatasetRows, type SkippedRow } from "./read-dataset-rows";

const dir = mkdtempSync(join(tmpdir(), "mlops-datasets-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
async function collect(it: AsyncGenerator<DatasetRecord>) {
  const rows: DatasetRow[] = [];
  const skipped: SkippedRow[] = [];
  for await (const r of it) {
    if (r.kind === "row") rows.push(r.value);
    else skipped.push(r.value);
  }
  return { rows, skipped };
}

describe("datasets", () => {
  it("resolves the bundled sample by name: ~100 news items, 8 categories, 3 sentiments", async () => {
    const source = resolveDatasetSource("sample");
    expect(source).toMatchObject({ bundled: true, format: "csv" });
    const { rows, skipped } = await collect(
      readDatasetRows(source, datasetColumnsSchema.parse({ sentimentCol: "sentiment" })),
    );
    expect(skipped).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(96);
    expect(new Set(rows.map((r) => r.category)).size).toBe(8);
    expect(new Set(rows.map((r) => r.sentiment))).toEqual(new Set(["Positive", "Neutral", "Negative"]));
    expect(rows[0]!.text).toContain("\n");
  });

  it("reports rows with a missing text or label by row number instead of dropping them", async () => {
    const path = file(
      "gaps.csv",
      'category,title,content\nWorld,"A title, with comma","Body\non two lines"\n,No label,text\nSports,,\nBusiness,Ok,\n',
    );
    const { rows, skipped } = await collect(
      readDatasetRows(resolveDatasetSource(path), datasetColumnsSchema.parse({})),
    );
    expect(rows.map((r) => [r.row, r.category, r.text])).toEqual([
      [1, "World", "A title, with comma\nBody\non two lines"],
      [4, "Business", "Ok"],
    ]);
    expect(skipped).toEqual([
      { row: 2, reason: "no label in category" },
      { row: 3, reason: "no text in title, content" },
    ]);
  });

  it("reads JSON Lines and names the columns there are when one is missing", async () => {
    const path = file("items.jsonl", '{"label":"A","body":"x y"}\nnot json\n{"label":"B","body":"z"}\n');
    const columns = datasetColumnsSchema.parse({ labelCol: "label", textCols: ["body"] });
    const { rows, skipped } = await collect(readDatasetRows(resolveDatasetSource(path), columns));
    expect(rows.map((r) => r.category)).toEqual(["A", "B"]);
    expect(skipped).toEqual([{ row: 2, reason: "not valid JSON" }]);
    await expect(
      collect(readDatasetRows(resolveDatasetSource(path), datasetColumnsSchema.parse({}))),
    ).rejects.toMatchObject({ code: "EXPERIMENT_DATASET_INVALID", message: expect.stringContaining("label, body") });
  });

  it("fails on a dataset that does not exist, listing the bundled ones", () => {
    expect(() => resolveDatasetSource(join(dir, "nope.csv"))).toThrow(/No dataset/);
  });
});

describe("planSplit", () => {
  const labels = [...Array(30).fill("a"), ...Array(10).fill("b")];

  it("is stratified and seeded", () => {
    const plan = planSplit(labels, 0.3, 42);
    expect(plan.testCount).toBe(9 + 3);
    const testOf = (label: string) => labels.filter((l, i) => l === label && plan.testIndex[i]! >= 0).length;
    expect([testOf("a"), testOf("b")]).toEqual([9, 3]);
    expect(planSplit(labels, 0.3, 42).testIndex).toEqual(plan.testIndex);
    expect(planSplit(labels, 0.3, 43).testIndex).not.toEqual(plan.testIndex);
    const order = [...plan.testIndex].filter((i) => i >= 0).sort((x, y) => x - y);
    expect(order).toEqual([...Array(12).keys()]);
  });

  it("keeps every row for test when a training file is given", () => {
    const plan = planAllTest(5, 1);
    expect(plan.trainCount).toBe(0);
    expect([...plan.testIndex].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
