import { sql, type SQL } from "drizzle-orm";
import { principalAndGroups } from "../access/check-access";

/**
 * The groups `principalId` owns at `at` (a sub-select of group ids): a directory owner of the group
 * (`group_owners`), or an ownership schedule of a group under PIM in force at `at` (`start <= at < end`, not
 * Canceled; never the sweep's status), held directly or through a group the principal is a member of at `at`.
 * The caller adds the "account enabled" rule (`enabledUser`).
 */
export const ownedGroupIds = (principalId: string, at: Date): SQL => {
  const t = at.toISOString();
  return sql`(select go.group_id from group_owners go where go.user_id = ${principalId}::uuid
    union all
    select own_d.group_id from role_assignment_schedules own_s
      join role_definitions own_d on own_d.id = own_s.role_definition_id
     where own_d.access_id = 'owner' and own_d.is_enabled
       and own_s.principal_id in ${principalAndGroups(principalId, at)}
       and own_s.status <> 'Canceled' and own_s.start_date_time <= ${t}::timestamptz
       and (own_s.end_date_time is null or own_s.end_date_time > ${t}::timestamptz))`;
};

/** The principal is an enabled user (only people own groups here; a disabled account owns nothing). */
export const enabledUser = (principalId: string): SQL =>
  sql`exists (select 1 from users u where u.id = ${principalId}::uuid and u.account_enabled)`;
