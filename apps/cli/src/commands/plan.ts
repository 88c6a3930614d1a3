import { userInfo } from "node:os";
import type { AppConfig } from "@mlops/core";
import type { Command } from "commander";
import pc from "picocolors";
import { printJson, printLine, say } from "../output/print";
import { connectChat } from "./chat";

export function registerPlan(program: Command, loadConfig: () => AppConfig, token: () => string | undefined): void {
  program
    .command("plan")
    .description("The tool calls the architect's planner would make for a request, with their digest; runs nothing")
    .argument("<request...>", "what you would ask in `mlops chat`")
    .option("--json", "print as JSON")
    .action(async (words: string[], options: { json?: boolean }) => {
      const connection = await connectChat(loadConfig(), {
        user: userInfo().username,
        token: token(),
        worker: false,
      });
      try {
        if (!options.json) say(`(${connection.description})`);
        const preview = await connection.plan(words.join(" "));
        if (options.json) return printJson(preview);
        printLine(pc.bold(`planner: ${preview.planner}`));
        if (preview.calls.length === 0) return printLine(preview.text);
        printLine(`digest: ${preview.digest}`);
        for (const call of preview.calls) {
          const note = call.available ? call.effect : `unavailable: ${call.reason}`;
          printLine(`  - ${call.name} ${JSON.stringify(call.args)}  (${note})`);
        }
      } finally {
        await connection.close();
      }
    });
}
