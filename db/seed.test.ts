import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDb } from "@/test/db";
import { seedDemo } from "./seed";
import { bootstrapFirstAdmin } from "./bootstrap";
import { demoUsers } from "./demo-directory";
import { verifyPassword } from "@/lib/auth/password";
import { decryptSecret } from "@/lib/auth/secret-box";
import { users, userMfa } from "./schema";
import { eq } from "drizzle-orm";

const tables = [
  "users",
  "groups",
  "group_members",
  "service_principals",
  "administrative_units",
  "role_definitions",
  "role_settings",
  "role_eligibility_schedules",
  "role_assignment_schedules",
  "schedule_requests",
  "user_mfa",
  "directory_settings",
];

async function counts(db: Awaited<ReturnType<typeof createTestDb>>["db"]) {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await db.execute(sql.raw(`select count(*)::int as n from ${t}`));
    const rows = (r as { rows?: { n: number }[] }).rows ?? (r as unknown as { n: number }[]);
    out[t] = rows[0]!.n;
  }
  return out;
}

describe("demo seed", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.drop());

  it("loads the demo directory of §14 and is repeatable", async () => {
    await seedDemo(h.db);
    const first = await counts(h.db);
    expect(first.users).toBe(8);
    expect(first.role_definitions).toBeGreaterThanOrEqual(10);
    expect(first.role_eligibility_schedules).toBe(7);
    expect(first.role_assignment_schedules).toBe(4);
    await seedDemo(h.db);
    await seedDemo(h.db);
    expect(await counts(h.db)).toEqual(first);
  });

  it("gives demo people a working password and an encrypted TOTP seed", async () => {
    const [sophia] = await h.db.select().from(users).where(eq(users.id, demoUsers.sophia.id));
    expect(await verifyPassword(sophia?.passwordHash, "PimDemo!2026")).toBe(true);
    expect(await verifyPassword(sophia?.passwordHash, "wrong")).toBe(false);
    const [mfa] = await h.db.select().from(userMfa).where(eq(userMfa.userId, demoUsers.sophia.id));
    expect(mfa?.secretEncrypted).not.toContain(demoUsers.sophia.totpSecret);
    expect(decryptSecret(mfa!.secretEncrypted!)).toBe(demoUsers.sophia.totpSecret);
  });

  it("bootstraps a first Global Administrator only on an empty directory", async () => {
    const fresh = await createTestDb();
    try {
      const input = {
        tenantName: "Acme",
        email: "admin@acme.test",
        password: "correct horse battery",
        displayName: "Admin",
      };
      const [a, b] = await Promise.all([bootstrapFirstAdmin(fresh.db, input), bootstrapFirstAdmin(fresh.db, input)]);
      expect([a, b].sort()).toEqual(["created", "skipped"]);
      const c = await counts(fresh.db);
      expect(c.users).toBe(1);
      expect(c.role_assignment_schedules).toBe(1);
      const audit = await fresh.db.execute(sql`select operation from audit_events`);
      const rows = (audit as { rows?: unknown[] }).rows ?? (audit as unknown as unknown[]);
      expect(rows).toEqual([{ operation: "bootstrap.firstAdmin" }]);
      expect(await bootstrapFirstAdmin(h.db, input)).toBe("skipped");
    } finally {
      await fresh.drop();
    }
  });
});
