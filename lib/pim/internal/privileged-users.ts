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
  // Set-based: the privileged principals come first from the role indexes (a few hundred rows), then the
  // page's users are matched against them directly or through a group (a correlated sub-query per user
  // over both schedule tables cost ~300 ms on a 20,000-person directory).
  const live = sql`role_definition_id in (${adminRoles}) and status in ('Provisioned', 'Granted')
    and (end_date_time is null or end_date_time > ${at.toISOString()}::timestamptz)`;
  const res = await db.execute(sql`
    with p as (
      select principal_id from role_assignment_schedules where ${live}
      union
      select principal_id from role_eligibility_schedules where ${live}
    )
    select u.id from users u
    where u.id in (${ids})
      and (u.id in (select principal_id from p)
        or exists (select 1 from group_members gm where gm.user_id = u.id and gm.group_id in (select principal_id from p)))`);
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
