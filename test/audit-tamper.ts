import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/types";

/**
 * Test support: changes audit rows the way an attacker holding the table's owner role would
 * (append-only triggers switched off for the statement). The app's own role cannot do this on
 * PostgreSQL (see db/roles.test.ts); these tests show the verifier finds it when someone can.
 */
export async function tamper(db: Db, statement: SQL): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_events disable trigger user`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_events enable trigger user`);
  });
}
