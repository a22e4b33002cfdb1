import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { openDb, type DbHandle } from "@/db/client";
import { createTestDb, usingPostgres } from "@/test/db";
import { pgErrorCode } from "@/lib/pim/db-errors";
import { verifyAuditChain, writeAudit } from "@/lib/pim/audit";
import { applyAppRoleGrants, ensureAppRole, RoleSetupError } from "./roles";

/**
 * Finding 2: the app's own role could disable the append-only triggers and then UPDATE, DELETE,
 * TRUNCATE or DROP the audit table. Roles exist only on PostgreSQL: PGlite is one process with one
 * (superuser) role, so nothing can be enforced against the app itself there (see SECURITY.md).
 */
describe.skipIf(!usingPostgres)(
  "app role on PostgreSQL may only SELECT and INSERT audit rows (PostgreSQL only)",
  () => {
    let h: Awaited<ReturnType<typeof createTestDb>>;
    let app: DbHandle;
    const role = `pim_app_t_${randomBytes(4).toString("hex")}`;
    const base = process.env.TEST_DATABASE_URL as string;
    beforeAll(async () => {
      h = await createTestDb();
      expect(await ensureAppRole(h.url!, role, null)).toBe("created");
      expect(await ensureAppRole(h.url!, role, null)).toBe("exists");
      await applyAppRoleGrants(h.url!, role);
      const u = new URL(h.url!);
      u.username = role;
      app = await openDb({ url: u.toString(), max: 2 });
      await h.db.transaction((tx) =>
        writeAudit(tx, new Date(), { activity: "Written by the owner", operation: "test" }),
      );
    });
    afterAll(async () => {
      await app?.close();
      await h.drop();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop role if exists ${role}`);
      await a.end();
    });

    const refusal = async (statement: ReturnType<typeof sql>) =>
      pgErrorCode(
        await app.db
          .transaction((tx) => tx.execute(statement))
          .then(
            () => "allowed",
            (e: unknown) => e,
          ),
      ) ?? "allowed";

    it("writes and reads audit rows through the app's own writer", async () => {
      await app.db.transaction((tx) =>
        writeAudit(tx, new Date(), { activity: "Written by the app", operation: "test" }),
      );
      expect(await verifyAuditChain(app.db)).toMatchObject({ ok: true, checked: 2 });
    });

    it.each([
      ["ALTER TABLE … DISABLE TRIGGER", sql`alter table audit_events disable trigger user`],
      ["UPDATE", sql`update audit_events set activity = 'forged'`],
      ["DELETE", sql`delete from audit_events`],
      ["TRUNCATE", sql`truncate audit_events`],
      ["DROP TABLE", sql`drop table audit_events`],
      [
        "CREATE TRIGGER",
        sql`create trigger t before insert on audit_events for each row execute function audit_events_append_only()`,
      ],
      ["ALTER TABLE … ADD COLUMN", sql`alter table audit_events add column x int`],
      ["UPDATE a verification record", sql`update audit_verifications set ok = true`],
      ["DELETE a verification record", sql`delete from audit_verifications`],
      ["CREATE TABLE", sql`create table my_copy (id int)`],
      ["read the legacy re-anchor list", sql`select * from audit_legacy_segments`],
    ])("refuses %s on the audit tables (42501)", async (_what, statement) => {
      expect(await refusal(statement)).toBe("42501");
    });

    it("still has the rights it needs on the working tables", async () => {
      expect(await refusal(sql`insert into job_state (name) values ('roles-test')`)).toBe("allowed");
      expect(await refusal(sql`update job_state set last_run_at = now() where name = 'roles-test'`)).toBe("allowed");
      expect(await refusal(sql`delete from job_state where name = 'roles-test'`)).toBe("allowed");
      expect(
        await refusal(sql`insert into audit_verifications (started_at, finished_at, trigger, ok, rows_checked,
      checkpoints_checked, break_count, breaks) values (now(), now(), 'cli', true, 0, 0, 0, '[]')`),
      ).toBe("allowed");
    });

    it("refuses to set up an app role that owns tables or is a superuser", async () => {
      await expect(applyAppRoleGrants(h.url!, "postgres")).rejects.toBeInstanceOf(RoleSetupError);
    });
  },
);
