import type { SqlExecutor } from "@mlops/core";

/** The part of a `pg` client that PostgresSaver uses. */
export interface PoolClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  release(): void;
}

/** The part of a `pg.Pool` that PostgresSaver uses. */
export interface PoolLike {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  connect(): Promise<PoolClientLike>;
  end(): Promise<void>;
}

const CONTROL = /^\s*(begin|commit|rollback)\s*;?\s*$/i;

/**
 * A pg-Pool-compatible adapter over our {@link SqlExecutor}, so `PostgresSaver` runs on Postgres and on embedded
 * PGlite alike (PGlite has no pool). `connect()` opens an executor transaction and holds it until the client is
 * released; the saver's own `BEGIN` / `COMMIT` / `ROLLBACK` become that transaction's start, commit and rollback.
 * Every later query waits until earlier transactions have finished, so a released client's writes are visible.
 *
 * @example
 * const saver = new PostgresSaver(createExecutorPool(database.sql) as never, undefined, { schema: "langgraph" });
 * await saver.setup();
 */
export function createExecutorPool(executor: SqlExecutor): PoolLike {
  const finishing = new Set<Promise<unknown>>();
  const settled = async () => {
    while (finishing.size > 0) await Promise.allSettled([...finishing]);
  };

  return {
    async query(text, params) {
      await settled();
      return { rows: await executor.query(text, params) };
    },

    async connect() {
      await settled();
      let open: OpenTransaction | undefined;
      const finish = async (how: "commit" | "rollback") => {
        const current = open;
        open = undefined;
        if (!current) return;
        finishing.add(current.done);
        current.finish(how);
        await current.done;
      };
      return {
        async query(text, params) {
          const control = CONTROL.exec(text)?.[1]?.toLowerCase();
          if (control === "begin") {
            open ??= await openTransaction(executor, finishing);
            return { rows: [] };
          }
          if (control === "commit" || control === "rollback") {
            await finish(control);
            return { rows: [] };
          }
          // Outside BEGIN … COMMIT a statement runs on its own, as on a pooled connection (setup() relies on it).
          return { rows: open ? await open.tx.query(text, params) : await executor.query(text, params) };
        },
        release() {
          void finish("commit").catch(() => {});
        },
      };
    },

    async end() {
      await settled();
    },
  };
}

class RollbackRequested extends Error {}

interface OpenTransaction {
  tx: SqlExecutor;
  finish(how: "commit" | "rollback"): void;
  /** Settles when the transaction has committed or rolled back; rejects when the commit fails. */
  done: Promise<void>;
}

/** Starts an executor transaction and holds it open until `finish` is called. */
async function openTransaction(executor: SqlExecutor, finishing: Set<Promise<unknown>>): Promise<OpenTransaction> {
  let finish!: (how: "commit" | "rollback") => void;
  const outcome = new Promise<"commit" | "rollback">((resolve) => {
    finish = resolve;
  });
  let ready!: (tx: SqlExecutor) => void;
  const txReady = new Promise<SqlExecutor>((resolve) => {
    ready = resolve;
  });
  const done: Promise<void> = executor
    .transaction(async (tx) => {
      ready(tx);
      if ((await outcome) === "rollback") throw new RollbackRequested();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollbackRequested)) throw error;
    })
    .finally(() => finishing.delete(done));
  done.catch(() => {}); // a failed commit is reported to whoever awaits it (COMMIT), never unhandled
  // A transaction that fails to start rejects `done` before `ready` is called.
  const tx = await Promise.race([txReady, done.then(() => undefined)]);
  if (!tx) throw new Error("could not open a transaction on the app database");
  return { tx, finish, done };
}
