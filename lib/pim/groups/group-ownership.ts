import { sql } from "drizzle-orm";
import type { Db } from "@/db/types";
import { enabledUser, ownedGroupIds } from "./owned-groups";
import { isPimAdmin } from "../authz";
import { isSystemActor, type Actor } from "../context";
import { PimError } from "../errors";
import type { RoleInfo } from "../internal/directory";
import type { ScheduleKind } from "../internal/schedules";
import { rowsOf } from "../sql-rows";

export { ownedGroupIds } from "./owned-groups";

/** Is `principalId` an owner of `groupId` at `at` (directory owner or active PIM ownership)? One statement. */
export async function isGroupOwner(db: Db, principalId: string, groupId: string, at: Date): Promise<boolean> {
  const res = await db.execute(
    sql`select (${enabledUser(principalId)} and ${groupId}::uuid in ${ownedGroupIds(principalId, at)}) as ok`,
  );
  return rowsOf<{ ok: boolean }>(res)[0]?.ok === true;
}

const refusal = (what: string, groupName?: string) =>
  new PimError(
    "Forbidden",
    groupName
      ? `Only an active Global Administrator or Privileged Role Administrator, or an owner of ${groupName}, may ${what}.`
      : `Only an active Global Administrator or Privileged Role Administrator may ${what}. Activate one of these roles first.`,
  );

/**
 * Who may manage assignments and settings of `role` at `now` (Entra's PIM for Groups): an active GA/PRA for
 * any role; for a group's *member* access definition also an owner of that group now (`isGroupOwner`). A
 * group's ownership assignments and settings stay with GA/PRA. Throws Forbidden otherwise. Decided on the
 * database state inside the use case's transaction.
 */
export async function assertMayManageAccess(
  tx: Db,
  actor: Actor,
  now: Date,
  role: Pick<RoleInfo, "name" | "groupId" | "accessId">,
  what: string,
): Promise<void> {
  if (isSystemActor(actor)) throw refusal(what);
  if (await isPimAdmin(tx, actor.id, now)) return;
  if (role.groupId && role.accessId === "member" && (await isGroupOwner(tx, actor.id, role.groupId, now))) return;
  throw refusal(what, role.groupId && role.accessId === "member" ? groupNameOf(role.name) : undefined);
}

/** "Helpdesk Tier 2 (Member)" → "Helpdesk Tier 2" (the access definition's name carries the group's). */
const groupNameOf = (definitionName: string) => definitionName.replace(/ \((?:Member|Owner)\)$/, "");

/**
 * `assertMayManageAccess` for an action on an existing schedule, BEFORE it is locked: an admin passes at once;
 * anyone else is judged on the schedule's definition (NotFound is left to the lock that follows).
 */
export async function assertMayManageSchedule(
  tx: Db,
  actor: Actor,
  now: Date,
  kind: ScheduleKind,
  scheduleId: string,
  what: string,
): Promise<void> {
  if (isSystemActor(actor)) throw refusal(what);
  if (await isPimAdmin(tx, actor.id, now)) return;
  const table = kind === "eligibility" ? sql`role_eligibility_schedules` : sql`role_assignment_schedules`;
  const res = await tx.execute(sql`select d.display_name, d.group_id, d.access_id from ${table} s
      join role_definitions d on d.id = s.role_definition_id where s.id = ${scheduleId}::uuid`);
  const d = rowsOf<{ display_name: string; group_id: string | null; access_id: string | null }>(res)[0];
  await assertMayManageAccess(
    tx,
    actor,
    now,
    { name: d?.display_name ?? "", groupId: d?.group_id, accessId: d?.access_id },
    what,
  );
}

/**
 * May `actor` bring the group under PIM now? An active GA/PRA may bring any group; an owner of the group
 * (`isGroupOwner`) only a group that is not role-assignable (Entra's rule: role-assignable groups can grant
 * directory roles, so only the role administrators decide on them).
 */
export async function assertMayBringUnderPim(
  tx: Db,
  actor: Actor,
  now: Date,
  group: { id: string; name: string; assignable: boolean },
): Promise<void> {
  const what = "bring groups under PIM";
  if (isSystemActor(actor)) throw refusal(what);
  if (await isPimAdmin(tx, actor.id, now)) return;
  if (group.assignable)
    throw new PimError(
      "Forbidden",
      `${group.name} is role-assignable: only an active Global Administrator or Privileged Role Administrator may bring it under PIM.`,
    );
  if (await isGroupOwner(tx, actor.id, group.id, now)) return;
  throw refusal(what, group.name);
}

/** Does `principalId` own any group now (directory owner or active PIM ownership)? One statement. */
export async function ownsAnyGroup(db: Db, principalId: string, at: Date): Promise<boolean> {
  const res = await db.execute(
    sql`select (${enabledUser(principalId)} and exists (select 1 from ${ownedGroupIds(principalId, at)} x)) as ok`,
  );
  return rowsOf<{ ok: boolean }>(res)[0]?.ok === true;
}

/**
 * What an owner may do with one access definition at `at`, for read models that open to owners (a group's
 * Assignments blade and settings page): `see` when `roleDefinitionId` is an access definition of a group the
 * principal owns; `manage` only for its *member* definition (the use cases' rule, `assertMayManageAccess`).
 * One statement; both false for a directory role.
 */
export async function ownerRightsOn(
  db: Db,
  principalId: string,
  roleDefinitionId: string,
  at: Date,
): Promise<{ see: boolean; manage: boolean }> {
  const res = await db.execute(sql`select d.access_id,
      (${enabledUser(principalId)} and d.group_id in ${ownedGroupIds(principalId, at)}) as owned
    from role_definitions d where d.id = ${roleDefinitionId}::uuid and d.group_id is not null`);
  const r = rowsOf<{ access_id: string; owned: boolean }>(res)[0];
  const see = r?.owned === true;
  return { see, manage: see && r?.access_id === "member" };
}
