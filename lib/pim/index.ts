/**
 * The PIM engine's public API (framework-free; imports nothing from next, react or next-auth).
 * Use cases: `verbNoun(ctx, actor, input)`, one transaction each, audit row (and notification rows) inside it,
 * input validated with the zod schemas of `@/lib/validation/pim`; failures throw `PimError` (see errors.ts,
 * `httpStatusFor`). Reads: the access check, authz helpers and read models.
 */
export type { Actor, Ctx } from "./context";
export { systemActor, isSystemActor } from "./context";
export { PimError, isPimError, httpStatusFor, httpStatusByCode, type PimErrorCode, type RuleCode } from "./errors";

// access and authorization
export {
  checkAccess,
  effectiveRoles,
  ALL_TASKS_PERMISSION,
  type AccessQuery,
  type AccessResult,
  type AccessGrant,
  type EffectiveRole,
} from "./access/check-access";
export { holdsAnyRoleNow, isPimAdmin, isPimReader, assertPimAdmin, hasPermissionNow } from "./authz";

// rules and settings
export * from "./rules/constants";
export { parseIsoDuration, toIsoDuration, humanMinutes } from "./rules/durations";
export { getRoleSettings, defaultRoleSettings, type RoleSettings } from "./role-settings";
export { updateRoleSettings } from "./use-cases/update-role-settings";

// admin assignments
export { assignRole, type AdminChangeResult } from "./use-cases/assign-role";
export { updateAssignment } from "./use-cases/update-assignment";
export { removeAssignment } from "./use-cases/remove-assignment";
export { extendAssignment } from "./use-cases/extend-assignment";
export { renewAssignment } from "./use-cases/renew-assignment";

// directory users
export {
  setUserEnabled,
  userEnablementRights,
  USER_UPDATE_PERMISSION,
  type SetUserEnabledResult,
} from "./use-cases/set-user-enabled";

// self service
export { activateRole, type ActivationResult } from "./use-cases/activate-role";
export { deactivateRole, type DeactivationResult } from "./use-cases/deactivate-role";
export { cancelRequest } from "./use-cases/cancel-request";
export { requestExtension } from "./use-cases/request-extension";
export { requestRenewal } from "./use-cases/request-renewal";

// approval
export {
  decideRequest,
  decideRequests,
  type DecisionResult,
  type BulkDecisionResult,
} from "./use-cases/decide-request";

// jobs
export { expireDue, type ExpireCounts } from "./use-cases/expire-due";

export type { ScheduleKind, ScheduleRow } from "./internal/schedules";

// read models (one query each, names joined)
export {
  listMyEligibleRoles,
  listMyActiveRoles,
  listMyExpiredRoles,
  type MyEligibleRole,
  type MyActiveRole,
  type MyExpiredRole,
} from "./queries/my-roles";
export {
  listApprovableRequests,
  listMyRequests,
  getRequestView,
  type RequestView,
  type RequestCursor,
} from "./queries/requests";
// (written with the admin pages) Assignments blade by tab with search + keyset + total; audit events with filters + keyset
export {
  listBladeAssignments,
  iterateBladeAssignments,
  type BladeRow,
  type BladeTab,
} from "./queries/assignments-blade";
export { listActivity, iterateActivity, type ActivityQuery, type ActivityRow } from "./queries/activity-log";
