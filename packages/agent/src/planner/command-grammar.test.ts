import { describe, expect, it } from "vitest";
import { parseCommand } from "./command-grammar";

describe("the offline planner's grammar", () => {
  it.each([
    ["list tables", { tool: "list_tables", args: {} }],
    ["list tables in main.bronze", { tool: "list_tables", args: { schema: "main.bronze" } }],
    ["describe main.default.news", { tool: "describe_table", args: { table: "main.default.news" } }],
    ["check sql DROP TABLE x; select 1", { tool: "check_sql", args: { sql: "DROP TABLE x; select 1" } }],
    ["run echo hi there", { tool: "run_echo_job", args: { message: "hi there", delayMs: 0 } }],
    [
      "compare local/tfidf-logreg and local/naive-bayes on the sample",
      { tool: "compare_models", args: { models: ["local/tfidf-logreg", "local/naive-bayes"], dataset: "sample" } },
    ],
    ["compare llama and gpt-oss", { tool: "compare_models", args: { models: ["llama", "gpt-oss"] } }],
    ["run pipeline churn", { tool: "run_pipeline", args: { pipeline: "churn" } }],
    ["promote the challenger", { tool: "promote_challenger", args: {} }],
    ["Promote the challenger of news_classifier.", { tool: "promote_challenger", args: { model: "news_classifier" } }],
    ["drop table main.default.tmp", { tool: "drop_table", args: { table: "main.default.tmp" } }],
    ["what is the champion of churn?", { tool: "registry_status", args: { model: "churn" } }],
    ["is churn drifting?", { tool: "run_monitor", args: { model: "churn" } }],
    ["plan pipeline news", { tool: "plan_pipeline", args: { pipeline: "news" } }],
    ["roll back the champion of news-classifier", { tool: "rollback_champion", args: { model: "news-classifier" } }],
    ["rollback news-classifier", { tool: "rollback_champion", args: { model: "news-classifier" } }],
    ["registry status news-classifier", { tool: "registry_status", args: { model: "news-classifier" } }],
    ["list runs of news", { tool: "search_runs", args: { experiment: "news", limit: 20 } }],
  ])("%s", (request, call) => {
    expect(parseCommand(request)).toEqual(call);
  });

  it("does not guess", () => {
    expect(parseCommand("please delete everything")).toBeUndefined();
  });
});
