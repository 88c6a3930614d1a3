import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type { SqlExecutor } from "@mlops/core";
import { AgentError } from "../agent-error";
import { createExecutorPool } from "./executor-pool";

export interface CheckpointerOptions {
  /** The app database's executor (Postgres or PGlite). */
  sql: SqlExecutor;
  /**
   * Postgres schema of the checkpoint tables, created by the saver's own `setup()`.
   * @defaultValue "langgraph"
   */
  schema?: string;
}

/** The saver plus the housekeeping we add to it. */
export interface Checkpointer {
  saver: PostgresSaver;
  schema: string;
  /** Deletes all but the newest `keep` checkpoints of a thread (and their writes and unreferenced blobs). */
  prune(threadId: string, keep: number): Promise<{ deleted: number }>;
  /** How many checkpoints a thread has. */
  count(threadId: string): Promise<number>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * LangGraph's PostgresSaver on the app database, whichever driver it runs on, with its tables in their own schema.
 *
 * @example
 * const { saver } = await createCheckpointer({ sql: database.sql });
 * const graph = builder.compile({ checkpointer: saver });
 */
export async function createCheckpointer(options: CheckpointerOptions): Promise<Checkpointer> {
  const schema = options.schema ?? "langgraph";
  if (!SCHEMA_NAME.test(schema)) {
    throw new AgentError("AGENT_INVALID_REQUEST", `Invalid checkpoint schema name "${schema}".`, {
      hint: "Use lower-case letters, digits and underscores.",
    });
  }
  const saver = new PostgresSaver(createExecutorPool(options.sql) as never, undefined, { schema });
  try {
    await saver.setup();
  } catch (cause) {
    throw new AgentError("AGENT_CHECKPOINT_FAILED", `Could not set up the agent checkpoint tables: ${String(cause)}`, {
      hint: "Check that the app database is reachable and the user may create a schema.",
      cause,
    });
  }
  const t = (name: string) => `"${schema}"."${name}"`;
  return {
    saver,
    schema,
    async count(threadId) {
      const [row] = await options.sql.query<{ n: number }>(
        `select count(*)::int as n from ${t("checkpoints")} where thread_id = $1`,
        [threadId],
      );
      return row?.n ?? 0;
    },
    async prune(threadId, keep) {
      const limit = Math.max(1, Math.floor(keep));
      return options.sql.transaction(async (tx) => {
        const doomed = await tx.query<{ checkpoint_ns: string; checkpoint_id: string }>(
          `select checkpoint_ns, checkpoint_id from ${t("checkpoints")} where thread_id = $1
           order by checkpoint_id desc offset $2`,
          [threadId, limit],
        );
        if (doomed.length === 0) return { deleted: 0 };
        const ids = doomed.map((d) => d.checkpoint_id);
        await tx.query(`delete from ${t("checkpoint_writes")} where thread_id = $1 and checkpoint_id = any($2)`, [
          threadId,
          ids,
        ]);
        await tx.query(`delete from ${t("checkpoints")} where thread_id = $1 and checkpoint_id = any($2)`, [
          threadId,
          ids,
        ]);
        await tx.query(
          `delete from ${t("checkpoint_blobs")} b where b.thread_id = $1 and not exists (
             select 1 from ${t("checkpoints")} c where c.thread_id = b.thread_id and c.checkpoint_ns = b.checkpoint_ns
             and c.checkpoint -> 'channel_versions' ->> b.channel = b.version)`,
          [threadId],
        );
        return { deleted: doomed.length };
      });
    },
  };
}
