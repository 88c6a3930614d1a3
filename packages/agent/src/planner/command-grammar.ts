/** One rule of the offline planner's grammar: a pattern and the tool call it makes. */
export interface GrammarRule {
  /** How people write it, for help texts and the README. */
  example: string;
  pattern: RegExp;
  toCall(match: RegExpExecArray): { tool: string; args: Record<string, unknown> };
}

const name = String.raw`([A-Za-z0-9_./:\x60"-]+)`;

const cleanName = (value: string | undefined) => value?.replace(/^[`"]|[`"]$/g, "");

/**
 * The grammar of the offline command planner (documented in the package README). Case-insensitive; a trailing `?`
 * or `.` is ignored. The first rule that matches the whole request wins.
 */
export const COMMAND_GRAMMAR: readonly GrammarRule[] = [
  {
    example: "list tables [in CATALOG.SCHEMA]",
    pattern: new RegExp(String.raw`^(?:list|show)\s+(?:the\s+)?tables(?:\s+in\s+${name})?$`, "i"),
    toCall: (m) => ({ tool: "list_tables", args: m[1] ? { schema: cleanName(m[1]) } : {} }),
  },
  {
    example: "describe TABLE",
    pattern: new RegExp(String.raw`^describe\s+(?:the\s+)?(?:table\s+)?${name}$`, "i"),
    toCall: (m) => ({ tool: "describe_table", args: { table: cleanName(m[1]) } }),
  },
  {
    example: "check sql SQL",
    pattern: /^check\s+(?:the\s+)?sql\s+([\s\S]+)$/i,
    toCall: (m) => ({ tool: "check_sql", args: { sql: m[1]!.trim() } }),
  },
  {
    example: "run sql SELECT …  (also: query SELECT …)",
    pattern: /^(?:run\s+sql|query)\s+([\s\S]+)$/i,
    toCall: (m) => ({ tool: "run_sql", args: { sql: m[1]!.trim(), limit: 50 } }),
  },
  {
    example: "run echo MESSAGE",
    pattern: /^run\s+(?:an?\s+)?echo(?:\s+job)?\s+([\s\S]+)$/i,
    toCall: (m) => ({ tool: "run_echo_job", args: { message: m[1]!.trim(), delayMs: 0 } }),
  },
  {
    example: "compare A and B [and C…] [on DATASET]",
    pattern: /^compare\s+(.+?)\s+(?:and|with|vs\.?|versus)\s+(.+?)(?:\s+on\s+(?:the\s+)?(\S+))?$/i,
    toCall: (m) => {
      const models = [...m[1]!.split(/\s*,\s*/), ...m[2]!.split(/\s*(?:,|\band\b)\s*/)].filter((s) => s.length > 0);
      return { tool: "compare_models", args: { models, ...(m[3] ? { dataset: m[3] } : {}) } };
    },
  },
  {
    example: "plan pipeline NAME",
    pattern: new RegExp(String.raw`^plan\s+(?:the\s+)?pipeline\s+${name}$`, "i"),
    toCall: (m) => ({ tool: "plan_pipeline", args: { pipeline: cleanName(m[1]) } }),
  },
  {
    example: "run pipeline NAME",
    pattern: new RegExp(String.raw`^run\s+(?:the\s+)?pipeline\s+${name}$`, "i"),
    toCall: (m) => ({ tool: "run_pipeline", args: { pipeline: cleanName(m[1]) } }),
  },
  {
    example: "promote the challenger [of MODEL]",
    pattern: new RegExp(String.raw`^promote\s+the\s+challenger(?:\s+(?:of|for)\s+${name})?$`, "i"),
    toCall: (m) => ({ tool: "promote_challenger", args: m[1] ? { model: cleanName(m[1]) } : {} }),
  },
  {
    example: "roll back the champion [of MODEL]",
    pattern: new RegExp(String.raw`^roll\s*back\s+(?:the\s+champion(?:\s+(?:of|for)\s+${name})?|${name})$`, "i"),
    toCall: (m) => {
      const model = cleanName(m[1] ?? m[2]);
      return { tool: "rollback_champion", args: model ? { model } : {} };
    },
  },
  {
    example: "drop table TABLE",
    pattern: new RegExp(String.raw`^drop\s+(?:the\s+)?table\s+${name}$`, "i"),
    toCall: (m) => ({ tool: "drop_table", args: { table: cleanName(m[1]) } }),
  },
  {
    example: "what is the champion of MODEL",
    pattern: new RegExp(String.raw`^(?:what\s+is|what's|who\s+is)\s+the\s+champion\s+(?:of|for)\s+${name}$`, "i"),
    toCall: (m) => ({ tool: "registry_status", args: { model: cleanName(m[1]) } }),
  },
  {
    example: "registry status MODEL",
    pattern: new RegExp(String.raw`^(?:show\s+(?:the\s+)?)?registry\s+status\s+(?:of\s+)?${name}$`, "i"),
    toCall: (m) => ({ tool: "registry_status", args: { model: cleanName(m[1]) } }),
  },
  {
    example: "list runs [of EXPERIMENT]",
    pattern: new RegExp(String.raw`^(?:list|show|search)\s+(?:the\s+)?runs(?:\s+(?:of|in|for)\s+${name})?$`, "i"),
    toCall: (m) => ({ tool: "search_runs", args: { ...(m[1] ? { experiment: cleanName(m[1]) } : {}), limit: 20 } }),
  },
  {
    example: "is MODEL drifting",
    pattern: new RegExp(String.raw`^is\s+(?:the\s+)?${name}(?:\s+model)?\s+drifting$`, "i"),
    toCall: (m) => ({ tool: "run_monitor", args: { model: cleanName(m[1]) } }),
  },
];

/** The tool call for a request, or undefined when no rule matches. */
export function parseCommand(request: string): { tool: string; args: Record<string, unknown> } | undefined {
  const text = request
    .trim()
    .replace(/[?.!]+$/, "")
    .trim();
  for (const rule of COMMAND_GRAMMAR) {
    const match = rule.pattern.exec(text);
    if (match) return rule.toCall(match);
  }
  return undefined;
}

/** What the offline planner says when it does not understand. */
export function grammarHelp(): string {
  return [
    "I am the offline command planner (no planner model is configured), and I did not understand that.",
    "I understand:",
    ...COMMAND_GRAMMAR.map((r) => `  - ${r.example}`),
    "Configure an `agent.planner` endpoint for free-form requests.",
  ].join("\n");
}
