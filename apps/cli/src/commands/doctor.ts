import type { AppConfig } from "@mlops/core";
import { type DoctorReport, runDoctor } from "@mlops/stack";
import type { Command } from "commander";
import { apiClientFor } from "../backend/connect";
import { printJson, printLine, say } from "../output/print";
import { bad, ok, renderTable } from "../output/table";

export function registerDoctor(program: Command, loadConfig: () => AppConfig): void {
  program
    .command("doctor")
    .description("What each component is connected to, green or red with the reason")
    .option("--json", "print the report as JSON")
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const api = apiClientFor(config);
      const running = await api.isUp();
      // A running API holds the embedded database, so it answers for it.
      const report = running ? await api.request<DoctorReport>("GET", "/v1/doctor") : await runDoctor(config);
      const result = {
        ...report,
        api: running ? { url: api.baseUrl, running: true } : { url: api.baseUrl, running: false },
      };
      if (options.json) printJson(result);
      else {
        say(
          running
            ? `(asked the running API at ${api.baseUrl})`
            : `(no API at ${api.baseUrl}; checked from this process)`,
        );
        printLine(
          renderTable(
            ["", "component", "connected to", "detail"],
            report.checks.map((c) => [c.ok ? ok("") : bad(""), c.component, c.target, c.detail]),
          ),
        );
        printLine();
        printLine(report.ok ? ok("all components are healthy") : bad("some components need attention (see above)"));
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
