import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from "@mlops/testing";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, jobs, threads } from "./schema";

// One suite, run unchanged on both drivers: the migrations and queries must behave the same on each.
describe.each(TEST_DRIVERS)("app database on %s", (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(driver, "dbsuite");
  }, 90_000);
  afterAll(async () => t?.cleanup());

  it("applies every migration and is idempotent on a second run", async () => {
    await t.database.migrate();
    const tables = await t.database.sql.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(tables.map((r) => r.table_name)).toEqual(expect.arrayContaining(["audit_events", "jobs", "threads"]));
  });

  it("stores and reads threads and jobs with typed columns", async () => {
    const { db } = t.database;
    await db.insert(threads).values({ id: "thr_1", title: "compare models", channel: "cli", createdBy: "ana" });
    await db
      .insert(jobs)
      .values({ id: "job_1", name: "echo", queue: "q", payload: { text: "hi" }, requestedBy: "ana" });
    await db
      .update(jobs)
      .set({ status: "completed", result: { echoed: "hi" } })
      .where(eq(jobs.id, "job_1"));
    const [job] = await db.select().from(jobs).where(eq(jobs.id, "job_1"));
    expect(job).toMatchObject({ status: "completed", payload: { text: "hi" }, result: { echoed: "hi" }, attempts: 0 });
    expect(job?.createdAt).toBeInstanceOf(Date);
    const [thread] = await db.select().from(threads);
    expect(thread?.metadata).toEqual({});
  });

  it("keeps the audit log append-only: update, delete and truncate are refused by the database", async () => {
    const { db, sql } = t.database;
    await db.insert(auditEvents).values({ id: "aud_1", actor: "ana", channel: "cli", action: "approval.requested" });
    await expect(sql.query("update audit_events set actor = 'eve'")).rejects.toThrow(/append-only/);
    await expect(sql.query("delete from audit_events")).rejects.toThrow(/append-only/);
    await expect(sql.query("truncate audit_events")).rejects.toThrow(/append-only/);
    const rows = await db.select().from(auditEvents).orderBy(desc(auditEvents.seq));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toBe("ana");
  });

  it("rolls a failed transaction back and commits a good one", async () => {
    const { sql } = t.database;
    await expect(
      sql.transaction(async (tx) => {
        await tx.query("insert into threads (id, title, channel, created_by) values ($1, $2, $3, $4)", [
          "thr_x",
          "x",
          "cli",
          "a",
        ]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await sql.query("select id from threads where id = $1", ["thr_x"])).toHaveLength(0);
    await sql.transaction(async (tx) => {
      await tx.query("insert into threads (id, title, channel, created_by) values ($1, $2, $3, $4)", [
        "thr_y",
        "y",
        "cli",
        "a",
      ]);
    });
    expect(await sql.query("select id from threads where id = $1", ["thr_y"])).toHaveLength(1);
  });
});
