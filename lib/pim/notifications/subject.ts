import { and, eq, inArray } from "drizzle-orm";
import {
  administrativeUnits,
  groups,
  roleAssignmentSchedules,
  roleDefinitions,
  roleEligibilitySchedules,
  roleSettings,
  scheduleRequests,
  servicePrincipals,
  users,
  type NotificationSettings,
} from "@/db/schema";
import type { Db } from "@/db/types";

type PrincipalType = "User" | "Group" | "ServicePrincipal";
export type RequestRow = typeof scheduleRequests.$inferSelect;

/** Everything a notice says about the thing it is about: who, which role, where, when, why. */
export type Subject = {
  kind: "eligibility" | "assignment";
  assignmentType: "Assigned" | "Activated" | null;
  principalId: string;
  principalType: PrincipalType;
  principalName: string;
  roleId: string;
  roleName: string;
  scopeId: string;
  scopeName: string;
  start: Date | null;
  end: Date | null;
  request: RequestRow | null;
  settings: NotificationSettings | null;
};

/**
 * Per-transaction memo for data that a transaction does not change while it emits (role names, scope
 * names, notification settings): the expiry sweep emits hundreds of notices per transaction.
 */
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
function memo<T>(tx: Db, key: string, load: () => Promise<T>): Promise<T> {
  let m = memos.get(tx);
  if (!m) memos.set(tx, (m = new Map()));
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) m.set(key, (p = load()));
  return p;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function principalName(tx: Db, type: PrincipalType, id: string): Promise<string> {
  const table = type === "User" ? users : type === "Group" ? groups : servicePrincipals;
  const [row] = await tx.select({ name: table.displayName }).from(table).where(eq(table.id, id)).limit(1);
  return row?.name ?? "Unknown principal";
}

export async function scopeName(tx: Db, scopeId: string): Promise<string> {
  if (scopeId === "/") return "Directory";
  return memo(tx, `scope:${scopeId}`, () => loadScopeName(tx, scopeId));
}

async function loadScopeName(tx: Db, scopeId: string): Promise<string> {
  const auId = scopeId.replace(/^\/administrativeUnits\//, "");
  if (!UUID.test(auId)) return scopeId;
  const [row] = await tx
    .select({ name: administrativeUnits.displayName })
    .from(administrativeUnits)
    .where(eq(administrativeUnits.id, auId))
    .limit(1);
  return row?.name ?? scopeId;
}

/** The role's notification matrix: a scope-specific policy wins over the directory-wide one. */
function settingsFor(tx: Db, roleId: string, scopeId: string): Promise<NotificationSettings | null> {
  return memo(tx, `settings:${roleId}:${scopeId}`, () => loadSettings(tx, roleId, scopeId));
}

async function loadSettings(tx: Db, roleId: string, scopeId: string): Promise<NotificationSettings | null> {
  const rows = await tx
    .select({ scope: roleSettings.directoryScopeId, notifications: roleSettings.notifications })
    .from(roleSettings)
    .where(
      and(
        eq(roleSettings.roleDefinitionId, roleId),
        inArray(roleSettings.directoryScopeId, [...new Set([scopeId, "/"])]),
      ),
    );
  const specific = rows.find((r) => r.scope === scopeId && scopeId !== "/");
  return (specific ?? rows.find((r) => r.scope === "/"))?.notifications ?? null;
}

function roleName(tx: Db, roleId: string): Promise<string> {
  return memo(tx, `role:${roleId}`, () => loadRoleName(tx, roleId));
}

async function loadRoleName(tx: Db, roleId: string): Promise<string> {
  const [row] = await tx
    .select({ name: roleDefinitions.displayName })
    .from(roleDefinitions)
    .where(eq(roleDefinitions.id, roleId));
  return row?.name ?? "Unknown role";
}

export async function loadRequest(tx: Db, requestId: string | null): Promise<RequestRow | null> {
  if (!requestId) return null;
  const [row] = await tx.select().from(scheduleRequests).where(eq(scheduleRequests.id, requestId)).limit(1);
  return row ?? null;
}

/** A user principal's name comes with its schedule (one statement fewer per notice). */
type UserCols = { name: string | null };
const userCols = { name: users.displayName };

async function complete(
  tx: Db,
  base: Omit<Subject, "principalName" | "roleName" | "scopeName" | "settings">,
  user?: UserCols | null,
): Promise<Subject> {
  const known = base.principalType === "User" && user?.name != null ? user : undefined;
  const [pName, rName, sName, settings] = await Promise.all([
    known ? Promise.resolve(known.name ?? "") : principalName(tx, base.principalType, base.principalId),
    roleName(tx, base.roleId),
    scopeName(tx, base.scopeId),
    settingsFor(tx, base.roleId, base.scopeId),
  ]);
  return { ...base, principalName: pName, roleName: rName, scopeName: sName, settings };
}

/** A subject built from a schedule (assignment or eligibility), with its request when known. */
export async function scheduleSubject(
  tx: Db,
  kind: "eligibility" | "assignment",
  scheduleId: string,
  requestId: string | null,
): Promise<Subject | null> {
  const request = await loadRequest(tx, requestId);
  if (kind === "eligibility") {
    const t = roleEligibilitySchedules;
    const [row] = await tx
      .select({ s: t, u: userCols })
      .from(t)
      .leftJoin(users, and(eq(users.id, t.principalId), eq(t.principalType, "User")))
      .where(eq(t.id, scheduleId))
      .limit(1);
    if (!row) return null;
    const s = row.s;
    return complete(
      tx,
      {
        kind,
        assignmentType: null,
        principalId: s.principalId,
        principalType: s.principalType,
        roleId: s.roleDefinitionId,
        scopeId: s.directoryScopeId,
        start: s.startDateTime,
        end: s.endDateTime,
        request,
      },
      row.u,
    );
  }
  const t = roleAssignmentSchedules;
  const [row] = await tx
    .select({ s: t, u: userCols })
    .from(t)
    .leftJoin(users, and(eq(users.id, t.principalId), eq(t.principalType, "User")))
    .where(eq(t.id, scheduleId))
    .limit(1);
  if (!row) return null;
  const s = row.s;
  return complete(
    tx,
    {
      kind,
      assignmentType: s.assignmentType,
      principalId: s.principalId,
      principalType: s.principalType,
      roleId: s.roleDefinitionId,
      scopeId: s.directoryScopeId,
      start: s.startDateTime,
      end: s.endDateTime,
      request,
    },
    row.u,
  );
}

/** A subject built from a request (approval flow events). */
export async function requestSubject(tx: Db, requestId: string): Promise<Subject | null> {
  const r = await loadRequest(tx, requestId);
  if (!r) return null;
  return complete(tx, {
    kind: r.requestType,
    assignmentType: r.action === "selfActivate" ? "Activated" : r.requestType === "assignment" ? "Assigned" : null,
    principalId: r.principalId,
    principalType: r.principalType,
    roleId: r.roleDefinitionId,
    scopeId: r.directoryScopeId,
    start: r.startDateTime,
    end: r.endDateTime,
    request: r,
  });
}
