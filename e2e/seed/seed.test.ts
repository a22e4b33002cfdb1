import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { roleEligibilitySchedules } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { demoUsers } from "@/db/demo-directory";
import { createTestDb } from "@/test/db";
import type { Actor } from "@/lib/pim/context";
import { listDeliveryProblems, unreadCount } from "@/lib/pim/notifications/inbox";
import { seedE2eExtras } from "./index";
import { e2eUsers } from "./directory";
import { E2E_BOUNCE_ELIGIBILITY_ID } from "./bounce-seed";

const actor = (id: string): Actor => ({ id, type: "User", displayName: id });

describe("the e2e seed's delivery failure (e2e/seed/bounce-seed.ts)", () => {
  let h: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    h = await createTestDb();
  });
  afterAll(async () => h.drop());

  it("leaves exactly one failed email (Bruno's refused mailbox), once however often it runs", async () => {
    const now = new Date();
    await seedDemo(h.db, now);
    await seedE2eExtras(h.db, now);
    const users = async () => {
      const r = await h.db.execute(sql`select count(*)::int as n from users`);
      return ((r as { rows?: { n: number }[] }).rows ?? (r as unknown as { n: number }[]))[0]!.n;
    };
    const once = await users();
    expect(once).toBe(8 + Object.keys(e2eUsers).length);
    await seedE2eExtras(h.db, now); // repeatable
    expect(await users()).toBe(once);
    const ctx = { db: h.db, now: () => now };
    const problems = await listDeliveryProblems(ctx, actor(demoUsers.grace.id));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      recipientEmail: e2eUsers.bounce.userPrincipalName.toLowerCase(),
      subject: "PIM: Your eligible Global Reader assignment has expired",
      attempts: 1,
    });
    expect(problems[0]?.lastError).toMatch(/^550 5\.1\.1/);
    expect(await unreadCount(h.db, e2eUsers.bounce.id)).toBe(1);
    const [bruno] = await h.db
      .select()
      .from(roleEligibilitySchedules)
      .where(eq(roleEligibilitySchedules.id, E2E_BOUNCE_ELIGIBILITY_ID));
    expect(bruno?.status).toBe("Expired");
  });
});
