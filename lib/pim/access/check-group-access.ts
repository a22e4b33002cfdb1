import { sql } from "drizzle-orm";
import type { Db } from "@/db/types";
import type { GroupAccessId } from "../groups/access-definitions";
import { rowsOf } from "../sql-rows";

export type GroupAccessQuery = { principalId: string; groupId: string; accessId: GroupAccessId; at: Date };

export type GroupAccessGrant = {
  /** The membership/ownership schedule; null for a standing member (group_members) or owner (group_owners). */
  scheduleId: string | null;
  groupId: string;
  accessId: GroupAccessId;
  assignmentType: "Assigned" | "Activated" | null;
  endDateTime: Date | null;
};

export type GroupAccessResult = { allowed: boolean; grantedBy: GroupAccessGrant[]; until: Date | null };

/**
 * PIM for Groups' access check: is `principalId` a member (or an owner) of `groupId` at the instant `at`?
 * True while an active membership/ownership schedule of the group's access definition covers `at`
 * (`start <= at < end`, not Canceled; never the sweep's status), or while the principal is a standing member
 * ("member": group_members) or directory owner ("owner": group_owners) of the group. Disabled users and service principals are members of nothing. One statement.
 */
export async function checkGroupAccess(db: Db, q: GroupAccessQuery): Promise<GroupAccessResult> {
  const at = q.at.toISOString();
  const res = await db.execute(sql`
    select s.id as schedule_id, s.assignment_type, s.end_date_time
      from role_definitions d
      join role_assignment_schedules s on s.role_definition_id = d.id
     where d.group_id = ${q.groupId}::uuid and d.access_id = ${q.accessId} and d.is_enabled
       and s.principal_id = ${q.principalId}::uuid and s.status <> 'Canceled'
       and s.start_date_time <= ${at}::timestamptz
       and (s.end_date_time is null or s.end_date_time > ${at}::timestamptz)
       and not exists (select 1 from users u where u.id = ${q.principalId}::uuid and not u.account_enabled)
       and not exists (select 1 from service_principals p where p.id = ${q.principalId}::uuid and not p.account_enabled)
    union all
    select null, null, null from group_members gm
     where ${q.accessId} = 'member' and gm.group_id = ${q.groupId}::uuid and gm.user_id = ${q.principalId}::uuid
       and not exists (select 1 from users u where u.id = ${q.principalId}::uuid and not u.account_enabled)
    union all
    select null, null, null from group_owners go
     where ${q.accessId} = 'owner' and go.group_id = ${q.groupId}::uuid and go.user_id = ${q.principalId}::uuid
       and not exists (select 1 from users u where u.id = ${q.principalId}::uuid and not u.account_enabled)
     order by 3 asc nulls last`);
  const rows = rowsOf<{
    schedule_id: string | null;
    assignment_type: "Assigned" | "Activated" | null;
    end_date_time: string | Date | null;
  }>(res);
  const grantedBy: GroupAccessGrant[] = rows.map((r) => ({
    scheduleId: r.schedule_id,
    groupId: q.groupId,
    accessId: q.accessId,
    assignmentType: r.assignment_type,
    endDateTime: r.end_date_time === null ? null : new Date(r.end_date_time),
  }));
  const finite = grantedBy.flatMap((g) => (g.endDateTime ? [g.endDateTime.getTime()] : []));
  return {
    allowed: grantedBy.length > 0,
    grantedBy,
    until: finite.length > 0 ? new Date(Math.min(...finite)) : null,
  };
}
