import { and, eq, sql } from "drizzle-orm";
import { roleAssignmentSchedules as ras } from "@/db/schema";
import type { Db } from "@/db/types";
import { inForceAt } from "../access/check-access";
import { holdsAnyRoleNow } from "../authz";
import { GLOBAL_ADMINISTRATOR, PIM_ADMIN_ROLE_IDS } from "../directory/builtin-roles";
import { PimError } from "../errors";
import { rowsOf } from "../sql-rows";
import { lockKey } from "./tx";

const adminRoles = sql.join(
  PIM_ADMIN_ROLE_IDS.map((id) => sql`${id}::uuid`),
  sql`, `,
);

/**
 * Which of `userIds` hold or are eligible for Global Administrator or Privileged Role Administrator
 * (directly or through a group), with a schedule that is live and not over at `at` (in force or starting
 * later). Entra lets only privileged administrators change such people; one query.
 */
export async function privilegedUserIds(db: Db, userIds: readonly string[], at: Date): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const ids = sql.join(
    userIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const res = await db.execute(sql`
    select u.id from users u
    where u.id in (${ids})
      and exists (
        select 1 from (
          select principal_id, role_definition_id, status, end_date_time from role_assignment_schedules
          union all
          select principal_id, role_definition_id, status, end_date_time from role_eligibility_schedules
        ) s
        where s.role_definition_id in (${adminRoles})
          and s.status in ('Provisioned', 'Granted')
          and (s.end_date_time is null or s.end_date_time > ${at.toISOString()}::timestamptz)
          and (s.principal_id = u.id or s.principal_id in (select gm.group_id from group_members gm where gm.user_id = u.id))
      )`);
  return new Set(rowsOf<{ id: string }>(res).map((r) => r.id));
}

/**
 * Lockout protection for disabling a person: refuses when `userId` holds Global Administrator now (directly,
 * activated or through a group) and nobody else would: no other enabled user, enabled service principal, or
 * group with an enabled member other than `userId` holds it in force now. Takes the same per-role lock as
 * `assertNotLastAdmin`, so two admins disabling (or removing) the last two holders cannot both succeed.
 */
export async function assertNotLastGlobalAdmin(tx: Db, userId: string, who: string, now: Date): Promise<void> {
  if (!(await holdsAnyRoleNow(tx, userId, [GLOBAL_ADMINISTRATOR], now))) return;
  await lockKey(tx, `lockout:${GLOBAL_ADMINISTRATOR}`);
  const others = await tx
    .select({ id: ras.id })
    .from(ras)
    .where(
      and(
        eq(ras.roleDefinitionId, GLOBAL_ADMINISTRATOR),
        eq(ras.directoryScopeId, "/"),
        inForceAt(now),
        sql`(
          (${ras.principalType} = 'User' and ${ras.principalId} <> ${userId}::uuid and exists (select 1 from users u where u.id = ${ras.principalId} and u.account_enabled))
          or (${ras.principalType} = 'ServicePrincipal' and exists (select 1 from service_principals sp where sp.id = ${ras.principalId} and sp.account_enabled))
          or (${ras.principalType} = 'Group' and exists (select 1 from group_members gm join users u on u.id = gm.user_id where gm.group_id = ${ras.principalId} and u.account_enabled and u.id <> ${userId}::uuid))
        )`,
      ),
    )
    .limit(1);
  if (others.length === 0) {
    throw new PimError(
      "LockoutProtection",
      `${who} is the last active Global Administrator. Assign another active Global Administrator before disabling this account.`,
    );
  }
}
