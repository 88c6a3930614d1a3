import type { AppDatabase } from "@mlops/db";
import type { Lakehouse } from "@mlops/lakehouse";
import { createMonitorStore, formatNumber, runMonitor, worstStatus } from "@mlops/monitors";
import { z } from "zod";
import { type ReadTool, renderRows, safely } from "./architect-tool";

const schema = z.object({
  model: z
    .string()
    .min(1)
    .describe("A model (its monitors are those whose `model` names it) or a monitor name, e.g. churn-features"),
});

/**
 * Runs the drift monitors of a model (or one monitor by name) now, in the engine, and reports each column's status
 * (ok / warn / alert) with the statistic that decided it. Results land in the monitoring gold table; a breach
 * triggers the monitor's configured action as on a schedule.
 */
export function createRunMonitorTool(services: {
  db: AppDatabase;
  lakehouse: () => Promise<Lakehouse>;
}): ReadTool<typeof schema> {
  const store = createMonitorStore(services.db);
  return {
    name: "run_monitor",
    effect: "read",
    description:
      "Check whether a model or table is drifting: runs its stored drift monitors now (PSI, KS, chi-square, JS) and reports per-column status.",
    schema,
    describe: (input) => `run the drift monitors of ${input.model}`,
    run: (input) =>
      safely(async () => {
        const wanted = input.model.toLowerCase();
        const short = (name: string) => name.toLowerCase().split(".").pop()!.replace(/_/g, "-");
        const all = await store.list();
        const monitors = all.filter(
          (m) =>
            m.spec.name.toLowerCase() === wanted ||
            (m.spec.model !== undefined &&
              (m.spec.model.toLowerCase() === wanted || short(m.spec.model) === short(wanted))),
        );
        if (monitors.length === 0) {
          return {
            ok: false,
            summary: `No drift monitor watches ${input.model}.${all.length ? ` Monitors: ${all.map((m) => `${m.spec.name}${m.spec.model ? ` (${m.spec.model})` : ""}`).join(", ")}.` : ""} Create one with \`mlops monitor create <spec.yaml>\` (a spec with \`model: ${input.model}\`).`,
            data: { monitors: all.map((m) => m.spec.name) },
          };
        }
        const lakehouse = await services.lakehouse();
        const parts: string[] = [];
        const results = [];
        for (const monitor of monitors) {
          const result = await runMonitor(monitor.spec, { lakehouse, store }, { trigger: "agent" });
          results.push(result);
          const byColumn = new Map<string, typeof result.values>();
          for (const value of result.values) byColumn.set(value.column, [...(byColumn.get(value.column) ?? []), value]);
          const rows = [...byColumn.entries()].map(([column, values]) => {
            const worst = [...values].sort((a, b) => rank(b.status) - rank(a.status))[0]!;
            return {
              column,
              status: worstStatus(values.map((v) => v.status)),
              statistic: worst.statistic,
              value: formatNumber(worst.value),
            };
          });
          parts.push(
            `Monitor ${monitor.spec.name} on ${monitor.spec.table}: ${result.status.toUpperCase()}${result.breaches.length ? ` (${result.breaches.length} breach(es)${result.alert ? `, action: ${result.alert.action}` : ""})` : ""}\n${renderRows(rows)}`,
          );
        }
        const overall = worstStatus(results.map((r) => r.status));
        const verdict =
          overall === "alert"
            ? "Yes, it is drifting."
            : overall === "warn"
              ? "Some drift (warning)."
              : "No drift detected.";
        return {
          ok: true,
          summary: `${verdict}\n${parts.join("\n\n")}`,
          data: {
            status: overall,
            runs: results.map((r) => ({ runId: r.runId, monitor: r.monitor, status: r.status, breaches: r.breaches })),
          },
        };
      }),
  };
}

const rank = (status: string) => (status === "alert" ? 2 : status === "warn" ? 1 : 0);
