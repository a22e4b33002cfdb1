/**
 * POST roleAssignmentScheduleRequests / roleEligibilityScheduleRequests: maps Graph's body onto the engine's
 * use cases (the engine validates, authorizes on database state, audits and notifies). Only the translation
 * lives here: which schedule an admin action targets, and scheduleInfo → start/end/duration.
 */
import { and, desc, eq, gt, inArray, isNull, lte, or } from "drizzle-orm";
import {
  groups,
  roleAssignmentSchedules as ras,
  roleEligibilitySchedules as res,
  servicePrincipals,
  users,
} from "@/db/schema";
import type { Db } from "@/db/types";
import { groupOfDefinition } from "@/lib/pim/groups/access-definitions";
import { activateRole } from "@/lib/pim/use-cases/activate-role";
import { assignRole } from "@/lib/pim/use-cases/assign-role";
import { deactivateRole } from "@/lib/pim/use-cases/deactivate-role";
import { extendAssignment } from "@/lib/pim/use-cases/extend-assignment";
import { parseIsoDuration } from "@/lib/pim/rules/durations";
import { PimError } from "@/lib/pim/errors";
import { removeAssignment } from "@/lib/pim/use-cases/remove-assignment";
import { renewAssignment } from "@/lib/pim/use-cases/renew-assignment";
import { requestExtension } from "@/lib/pim/use-cases/request-extension";
import { requestRenewal } from "@/lib/pim/use-cases/request-renewal";
import { updateAssignment } from "@/lib/pim/use-cases/update-assignment";
import { badRequest, forbidden, notFound } from "../errors";
import { parseBody, readJson, type ApiContext } from "../handler";
import { requestOut, requestsByIds } from "./request-rows";
import type { RequestKind } from "./requests";
import { scheduleRequestBody, type ScheduleRequestBody } from "./schemas";
import { contextUrl } from "./serialize";
import { json } from "../handler";

type PrincipalType = "User" | "Group" | "ServicePrincipal";

async function principalTypeOf(db: Db, id: string): Promise<PrincipalType> {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, id)).limit(1);
  if (u) return "User";
  const [g] = await db.select({ id: groups.id }).from(groups).where(eq(groups.id, id)).limit(1);
  if (g) return "Group";
  const [s] = await db
    .select({ id: servicePrincipals.id })
    .from(servicePrincipals)
    .where(eq(servicePrincipals.id, id))
    .limit(1);
  if (s) return "ServicePrincipal";
  throw notFound(`The principal '${id}' does not exist in the directory.`);
}

type Window = { start?: Date; end: Date | null | undefined; duration?: string; noExpiration: boolean };

function windowOf(b: ScheduleRequestBody, now: Date): Window {
  const start = b.scheduleInfo?.startDateTime ? new Date(b.scheduleInfo.startDateTime) : undefined;
  const e = b.scheduleInfo?.expiration;
  const type = e?.type ?? (e?.endDateTime ? "afterDateTime" : e?.duration ? "afterDuration" : "notSpecified");
  if (type === "afterDateTime") return { start, end: new Date(e?.endDateTime as string), noExpiration: false };
  if (type === "afterDuration") {
    const ms = parseIsoDuration(e?.duration) ?? 0;
    return {
      start,
      end: new Date((start && start > now ? start : now).getTime() + ms),
      duration: e?.duration ?? undefined,
      noExpiration: false,
    };
  }
  return { start, end: type === "noExpiration" ? null : undefined, noExpiration: type === "noExpiration" };
}

/** The schedule an admin/self action works on: the given targetScheduleId, else the principal's one for role and scope. */
async function targetSchedule(
  db: Db,
  kind: RequestKind,
  b: ScheduleRequestBody,
  now: Date,
  expired: boolean,
  activated = false,
): Promise<string> {
  const t = kind === "assignment" ? ras : res;
  const match = and(
    eq(t.principalId, b.principalId),
    eq(t.roleDefinitionId, b.roleDefinitionId),
    eq(t.directoryScopeId, b.directoryScopeId),
  );
  if (b.targetScheduleId) {
    const [row] = await db
      .select({ id: t.id })
      .from(t)
      .where(and(eq(t.id, b.targetScheduleId), match))
      .limit(1);
    if (!row) throw notFound(`The schedule '${b.targetScheduleId}' does not exist for this principal, role and scope.`);
    return row.id;
  }
  const live = or(isNull(t.endDateTime), gt(t.endDateTime, now));
  const typeCond = kind === "assignment" ? eq(ras.assignmentType, activated ? "Activated" : "Assigned") : undefined;
  const [row] = await db
    .select({ id: t.id })
    .from(t)
    .where(
      and(
        match,
        typeCond,
        expired
          ? and(lte(t.endDateTime, now), inArray(t.status, ["Expired", "Provisioned", "Revoked"]))
          : and(inArray(t.status, ["Provisioned", "Granted"]), live),
      ),
    )
    .orderBy(desc(t.endDateTime), desc(t.createdAt))
    .limit(1);
  if (!row) {
    throw notFound(
      `No ${expired ? "expired" : "current"} ${kind === "assignment" ? "active" : "eligible"} assignment matches this principal, role and scope.`,
    );
  }
  return row.id;
}

const ticket = (b: ScheduleRequestBody) => ({
  ticketNumber: b.ticketInfo?.ticketNumber ?? undefined,
  ticketSystem: b.ticketInfo?.ticketSystem ?? undefined,
});
const endFields = (w: Window) =>
  w.noExpiration ? { permanent: true as const, endDateTime: null } : w.end ? { endDateTime: w.end } : {};

export async function createScheduleRequest(c: ApiContext, kind: RequestKind) {
  const b = parseBody(scheduleRequestBody, await readJson(c.req));
  // a group's member/owner access definition is not a directory role: its requests have their own collection
  if (await groupOfDefinition(c.ctx.db, b.roleDefinitionId))
    throw badRequest(
      `'${b.roleDefinitionId}' is a group's membership or ownership under PIM for Groups: POST it to identityGovernance/privilegedAccess/group/${kind}ScheduleRequests with groupId and accessId.`,
    );
  const requestId = await submitScheduleRequest(c, kind, b);
  const [row] = await requestsByIds(c.ctx.db, [requestId]);
  if (!row) throw new PimError("Conflict", "The request was recorded but could not be read back.");
  const collectionName = kind === "assignment" ? "roleAssignmentScheduleRequests" : "roleEligibilityScheduleRequests";
  return json(
    {
      "@odata.context": contextUrl(c.url, `roleManagement/directory/${collectionName}/$entity`),
      ...requestOut(row, null, new Set()),
    },
    201,
  );
}

/**
 * Runs a parsed Graph schedule request through the engine's use case for its action; answers the request id.
 * PIM for Groups' endpoints call it too, with the group's access definition as the role.
 */
export async function submitScheduleRequest(c: ApiContext, kind: RequestKind, b: ScheduleRequestBody) {
  if (b.isValidationOnly)
    throw badRequest("isValidationOnly is not supported: submit the request to have it validated.", "NotSupported");
  const { ctx, caller } = c;
  const actor = caller.actor;
  const now = ctx.now();
  const w = windowOf(b, now);
  const justification = b.justification ?? undefined;
  const self = b.action.startsWith("self");
  if (self && b.principalId !== actor.id)
    throw forbidden(`${b.action} acts on the caller: principalId must be the caller's own id.`);
  if (self && caller.kind !== "user")
    throw forbidden(`${b.action} needs a user's token (delegated), not an application's.`);
  if (kind === "eligibility" && (b.action === "selfActivate" || b.action === "selfDeactivate")) {
    throw badRequest(`${b.action} is a request for an active assignment: POST it to roleAssignmentScheduleRequests.`);
  }

  return (async (): Promise<string> => {
    switch (b.action) {
      case "adminAssign": {
        const principalType = await principalTypeOf(ctx.db, b.principalId);
        const out = await assignRole(ctx, actor, {
          assignmentType: kind === "assignment" ? "Active" : "Eligible",
          principalId: b.principalId,
          principalType,
          roleDefinitionId: b.roleDefinitionId,
          directoryScopeId: b.directoryScopeId,
          startDateTime: w.start,
          ...endFields(w),
          justification,
          ...ticket(b),
        });
        return out.requestId;
      }
      case "adminUpdate": {
        const scheduleId = await targetSchedule(ctx.db, kind, b, now, false);
        return (
          await updateAssignment(ctx, actor, {
            kind,
            scheduleId,
            startDateTime: w.start,
            ...endFields(w),
            justification,
            ...ticket(b),
          })
        ).requestId;
      }
      case "adminRemove": {
        const scheduleId = await targetSchedule(ctx.db, kind, b, now, false);
        return (await removeAssignment(ctx, actor, { kind, scheduleId, justification, ...ticket(b) })).requestId;
      }
      case "adminExtend": {
        const scheduleId = await targetSchedule(ctx.db, kind, b, now, false);
        return (await extendAssignment(ctx, actor, { kind, scheduleId, ...endFields(w), justification, ...ticket(b) }))
          .requestId;
      }
      case "adminRenew": {
        const scheduleId = await targetSchedule(ctx.db, kind, b, now, true);
        return (
          await renewAssignment(ctx, actor, {
            kind,
            scheduleId,
            startDateTime: w.start,
            ...endFields(w),
            justification,
            ...ticket(b),
          })
        ).requestId;
      }
      case "selfActivate": {
        if (w.noExpiration)
          throw new PimError(
            "ExpirationRule",
            "An activation always ends: give scheduleInfo.expiration afterDuration or afterDateTime.",
          );
        const start = w.start && w.start > now ? w.start : now;
        const durationMinutes =
          w.duration === undefined && w.end ? Math.round((w.end.getTime() - start.getTime()) / 60_000) : undefined;
        if (durationMinutes !== undefined && durationMinutes < 5)
          throw new PimError("ExpirationRule", "Activate for at least 5 minutes.");
        return (
          await activateRole(ctx, actor, {
            roleDefinitionId: b.roleDefinitionId,
            directoryScopeId: b.directoryScopeId,
            startDateTime: w.start,
            ...(w.duration ? { duration: w.duration } : {}),
            ...(durationMinutes !== undefined ? { durationMinutes } : {}),
            justification,
            ...ticket(b),
          })
        ).requestId;
      }
      case "selfDeactivate": {
        return (
          await deactivateRole(ctx, actor, {
            ...(b.targetScheduleId ? { scheduleId: b.targetScheduleId } : { roleDefinitionId: b.roleDefinitionId }),
            directoryScopeId: b.directoryScopeId,
            justification,
          })
        ).requestId;
      }
      case "selfExtend": {
        const scheduleId = await targetSchedule(ctx.db, kind, b, now, false);
        return (await requestExtension(ctx, actor, { kind, scheduleId, ...endFields(w), justification, ...ticket(b) }))
          .requestId;
      }
      case "selfRenew": {
        const scheduleId = await targetSchedule(ctx.db, kind, b, now, true);
        return (await requestRenewal(ctx, actor, { kind, scheduleId, ...endFields(w), justification, ...ticket(b) }))
          .requestId;
      }
    }
  })();
}
