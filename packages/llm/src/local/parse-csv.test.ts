import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRecords } from "./parse-csv";

describe("parseCsv", () => {
  it("handles quoted commas, doubled quotes and newlines inside quotes", () => {
    const text = 'a,b,c\n1,"x, y","he said ""hi"""\n2,"line one\nline two",\n';
    expect(parseCsv(text)).toEqual([
      ["a", "b", "c"],
      ["1", "x, y", 'he said "hi"'],
      ["2", "line one\nline two", ""],
    ]);
  });

  it("accepts CRLF line ends, a byte-order mark and a last line without newline", () => {
    expect(parseCsv('\ufeffk,v\r\n1,"2"')).toEqual([
      ["k", "v"],
      ["1", "2"],
    ]);
  });

  it("turns rows into records keyed by the header", () => {
    expect(parseCsvRecords('category,title,content\nWorld,Hi,"a, b"\n')).toEqual([
      { category: "World", title: "Hi", content: "a, b" },
    ]);
    expect(parseCsvRecords("")).toEqual([]);
  });
});
