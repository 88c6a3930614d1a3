import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DbError } from "./db-error";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes `<dir>/.lock` for this process; a lock left by a dead process is taken over. Returns the release. */
export function acquireDirectoryLock(dir: string): () => void {
  const path = join(dir, ".mlops.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(readFileSync(path, "utf8"), 10);
      if (owner === process.pid || !Number.isFinite(owner) || !isAlive(owner)) {
        rmSync(path, { force: true });
        continue;
      }
      throw new DbError("DB_LOCKED", `The embedded database in ${dir} is in use by process ${owner}.`, {
        hint: "Stop that process (e.g. `mlops up`), or talk to it through the API; set DATABASE_URL to share PostgreSQL between processes.",
        context: { pid: owner, dir },
      });
    }
  }
  throw new DbError("DB_LOCKED", `Could not lock the embedded database in ${dir}.`);
}
