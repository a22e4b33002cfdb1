/**
 * The end-to-end seed (never in the demo), on top of the demo directory: the one fixed person whose data must
 * exist before the server starts (e2e/seed/directory.ts). Everything else specs make themselves through the
 * factories (e2e/factories.ts). Repeatable. Run by e2e/seed/cli.ts before the e2e server starts.
 */
import { userMfa, users } from "@/db/schema";
import type { Db } from "@/db/types";
import { DEMO_PASSWORD } from "@/db/demo-directory";
import { hashPassword } from "@/lib/auth/password";
import { encryptSecret } from "@/lib/auth/secret-box";
import { e2eUsers } from "./directory";
import { seedE2eBounce } from "./bounce-seed";

export async function seedE2eExtras(db: Db, now = new Date()): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const u of Object.values(e2eUsers)) {
    await db
      .insert(users)
      .values({
        id: u.id,
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
        mail: u.userPrincipalName.toLowerCase(),
        passwordHash,
        accountEnabled: true,
        createdAt: now,
      })
      .onConflictDoNothing();
    if (u.enrolled) {
      await db
        .insert(userMfa)
        .values({ userId: u.id, secretEncrypted: encryptSecret(u.totpSecret), enrolledAt: now })
        .onConflictDoNothing();
    }
  }
  // Notifications spec: Bruno's failed email.
  await seedE2eBounce(db, now);
}
