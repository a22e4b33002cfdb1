/**
 * The whole PIM domain in one schema (see ../shared/pim-reference.md §1–§10).
 * Names follow Microsoft Graph where Graph has a name (statuses, actions, memberType, assignmentType).
 * Every timestamp is timestamptz. A principal id is a uuid that points into users, groups or
 * service_principals depending on principal_type (a polymorphic reference: no FK, checked by the core).
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();

// ---------------------------------------------------------------- enums
export const principalType = pgEnum("principal_type", ["User", "Group", "ServicePrincipal"]);
export const assignmentType = pgEnum("assignment_type", ["Assigned", "Activated"]);
export const memberType = pgEnum("member_type", ["Direct", "Group"]);
export const scheduleStatus = pgEnum("schedule_status", [
  "Granted", // approved / scheduled for a future start
  "Provisioned", // in force (its window decides whether it grants access now)
  "Expired", // recorded by the sweep after end_date_time passed
  "Revoked", // removed by an admin or deactivated by the holder (end_date_time set to that moment)
  "Canceled", // a future schedule withdrawn before it started
]);
export const requestType = pgEnum("request_type", ["assignment", "eligibility"]);
export const requestAction = pgEnum("request_action", [
  "adminAssign",
  "adminUpdate",
  "adminRemove",
  "adminExtend",
  "adminRenew",
  "selfActivate",
  "selfDeactivate",
  "selfExtend",
  "selfRenew",
]);
export const requestStatus = pgEnum("request_status", [
  "PendingApproval",
  "PendingProvisioning",
  "Granted",
  "ScheduleCreated",
  "Provisioned",
  "Denied",
  "Canceled",
  "Revoked",
  "Failed",
  "TimedOut",
]);
export const expirationType = pgEnum("expiration_type", ["noExpiration", "afterDateTime", "afterDuration"]);
export const decisionValue = pgEnum("decision_value", ["Approve", "Deny"]);
export const auditResult = pgEnum("audit_result", ["success", "failure"]);
export const outboxStatus = pgEnum("outbox_status", ["pending", "sending", "sent", "failed", "skipped"]);
export const reviewStatus = pgEnum("review_status", ["NotStarted", "InProgress", "Completed", "Applied"]);

// ---------------------------------------------------------------- directory
export const directorySettings = pgTable(
  "directory_settings",
  {
    id: integer("id").primaryKey().default(1),
    tenantId: uuid("tenant_id").notNull().defaultRandom(),
    tenantName: text("tenant_name").notNull(),
    /** Alert thresholds and toggles (§9), editable in alert settings. */
    alertSettings: jsonb("alert_settings").$type<Record<string, unknown>>().notNull().default({}),
    /** PIM-wide settings (who may manage PIM, notification sender, review defaults), edited on Settings. */
    pimSettings: jsonb("pim_settings").$type<Record<string, unknown>>().notNull().default({}),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [check("directory_settings_singleton", sql`${t.id} = 1`)],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    displayName: text("display_name").notNull(),
    userPrincipalName: text("user_principal_name").notNull(),
    mail: text("mail"),
    jobTitle: text("job_title"),
    department: text("department"),
    passwordHash: text("password_hash"),
    accountEnabled: boolean("account_enabled").notNull().default(true),
    managerId: uuid("manager_id"),
    oidcIssuer: text("oidc_issuer"),
    oidcSubject: text("oidc_subject"),
    lastSignInAt: ts("last_sign_in_at"),
    /** SCIM: the identity provider's id for this person (`externalId`), and the name parts it sends. */
    externalId: text("external_id"),
    givenName: text("given_name"),
    familyName: text("family_name"),
    /** SCIM: the provisioning application (service principal) that created the person; null = made in the portal. */
    provisionedBy: uuid("provisioned_by"),
    /** SCIM DELETE: the account is disabled and no longer visible to provisioning (history is kept). */
    deprovisionedAt: ts("deprovisioned_at"),
    /** Wrong passwords in a row (smart lockout, lib/auth/identify.ts); reset by a right one. */
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_upn_lower_idx").on(sql`lower(${t.userPrincipalName})`),
    index("users_mail_lower_idx").on(sql`lower(${t.mail})`),
    uniqueIndex("users_oidc_idx").on(t.oidcIssuer, t.oidcSubject),
    index("users_display_name_idx").on(t.displayName, t.id),
    index("users_manager_idx").on(t.managerId),
    index("users_external_id_idx")
      .on(t.externalId)
      .where(sql`${t.externalId} is not null`),
    // Search (`ilike '%q%'`, Users page and the Assignments blade's UPN match): trigram indexes (pg_trgm,
    // migration 0011; PGlite loads the extension in db/client.ts), so a substring search reads the matches.
    index("users_display_name_trgm_idx").using("gin", t.displayName.op("gin_trgm_ops")),
    index("users_upn_trgm_idx").using("gin", t.userPrincipalName.op("gin_trgm_ops")),
    index("users_mail_trgm_idx").using("gin", t.mail.op("gin_trgm_ops")),
    // The top bar's search (lib/pim/queries/global-search.ts): case-insensitive prefix ranges in index order.
    index("users_name_search_idx").on(sql`(lower(${t.displayName}) collate "C")`, t.id),
    index("users_upn_search_idx").on(sql`(lower(${t.userPrincipalName}) collate "C")`, t.id),
  ],
);

export const groups = pgTable(
  "groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    mailNickname: text("mail_nickname"),
    isAssignableToRole: boolean("is_assignable_to_role").notNull().default(true),
    /** SCIM: the identity provider's id for the group. */
    externalId: text("external_id"),
    /** SCIM: the provisioning application that created the group; only such groups are visible to SCIM. */
    provisionedBy: uuid("provisioned_by"),
    createdAt: createdAt(),
  },
  (t) => [
    index("groups_display_name_idx").on(t.displayName, t.id),
    index("groups_external_id_idx")
      .on(t.externalId)
      .where(sql`${t.externalId} is not null`),
    index("groups_provisioned_idx")
      .on(t.displayName, t.id)
      .where(sql`${t.provisionedBy} is not null`),
    index("groups_name_search_idx").on(sql`(lower(${t.displayName}) collate "C")`, t.id),
  ],
);

export const groupMembers = pgTable(
  "group_members",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_idx").on(t.userId, t.groupId)],
);

/** A group's directory owners (Entra's group owners, 0018): standing ownership; PIM ownership is a schedule. */
export const groupOwners = pgTable(
  "group_owners",
  {
    groupId: uuid("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_owners_user_idx").on(t.userId, t.groupId)],
);

export const servicePrincipals = pgTable(
  "service_principals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    appId: uuid("app_id").notNull().defaultRandom(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    accountEnabled: boolean("account_enabled").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("service_principals_app_id_idx").on(t.appId),
    index("service_principals_name_idx").on(t.displayName, t.id),
  ],
);

/** Client secrets for the client-credentials grant; only a hash is stored, the secret is shown once. */
export const servicePrincipalSecrets = pgTable(
  "service_principal_secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    servicePrincipalId: uuid("service_principal_id")
      .notNull()
      .references(() => servicePrincipals.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    secretHash: text("secret_hash").notNull(),
    hint: text("hint").notNull(),
    scopes: text("scopes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("sp_secrets_sp_idx").on(t.servicePrincipalId)],
);

/**
 * Application permissions granted to a service principal (Graph's appRoleAssignments of Microsoft Graph's
 * app roles, e.g. RoleManagement.ReadWrite.Directory). They decide what its client-credentials tokens may do,
 * checked at every call; a role held by the service principal is not needed for them.
 */
export const servicePrincipalPermissions = pgTable(
  "service_principal_permissions",
  {
    servicePrincipalId: uuid("service_principal_id")
      .notNull()
      .references(() => servicePrincipals.id, { onDelete: "cascade" }),
    permission: text("permission").notNull(),
    grantedBy: uuid("granted_by"),
    grantedAt: ts("granted_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.servicePrincipalId, t.permission] })],
);

/** Personal API tokens a signed-in person creates (shown once, stored hashed, revocable, expiring). */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    servicePrincipalId: uuid("service_principal_id").references(() => servicePrincipals.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    hint: text("hint").notNull(),
    scopes: text("scopes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** When the person passed MFA before minting the token: Graph's MFA claim. */
    mfaAt: ts("mfa_at"),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    lastUsedAt: ts("last_used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_tokens_hash_idx").on(t.tokenHash), index("api_tokens_user_idx").on(t.userId, t.createdAt)],
);

/**
 * Rate limits shared by every instance (UNLOGGED in the migration): per key (a token id, an OAuth client and
 * source address) the current one-minute window, how much of it has been handed out and the last grant.
 */
export const rateLimitWindows = pgTable("rate_limit_windows", {
  key: text("key").primaryKey(),
  windowStart: ts("window_start").notNull(),
  used: integer("used").notNull(),
  lastGrant: integer("last_grant").notNull(),
});

/**
 * SCIM bearer tokens of provisioning applications (an identity provider's connection): each belongs to a
 * service principal, which is the actor of every SCIM change in the audit trail. Only a sha256 is stored.
 */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    servicePrincipalId: uuid("service_principal_id")
      .notNull()
      .references(() => servicePrincipals.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    hint: text("hint").notNull(),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    lastUsedAt: ts("last_used_at"),
  },
  (t) => [uniqueIndex("scim_tokens_hash_idx").on(t.tokenHash), index("scim_tokens_created_idx").on(t.createdAt, t.id)],
);

export const administrativeUnits = pgTable(
  "administrative_units",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    displayName: text("display_name").notNull(),
    description: text("description"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("administrative_units_name_idx").on(t.displayName)],
);

// ---------------------------------------------------------------- roles and settings
export const roleDefinitions = pgTable(
  "role_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    displayName: text("display_name").notNull(),
    description: text("description").notNull().default(""),
    isBuiltIn: boolean("is_built_in").notNull().default(true),
    isEnabled: boolean("is_enabled").notNull().default(true),
    /** Whether this role lets its holder manage PIM itself (GA, PRA). Derived at seed time, kept for fast checks. */
    isPrivileged: boolean("is_privileged").notNull().default(false),
    templateId: uuid("template_id"),
    allowedResourceActions: text("allowed_resource_actions")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * PIM for Groups (0016): set for the two access definitions of a group under PIM ("member", "owner").
     * Their schedules are the group's eligible/active memberships and ownerships; null for directory roles.
     */
    groupId: uuid("group_id").references(() => groups.id, { onDelete: "cascade" }),
    accessId: text("access_id").$type<"member" | "owner">(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("role_definitions_name_idx")
      .on(t.displayName)
      .where(sql`${t.groupId} is null`),
    uniqueIndex("role_definitions_group_access_idx")
      .on(t.groupId, t.accessId)
      .where(sql`${t.groupId} is not null`),
    check(
      "role_definitions_group_access",
      sql`(${t.groupId} is null and ${t.accessId} is null) or (${t.groupId} is not null and ${t.accessId} in ('member', 'owner'))`,
    ),
    index("role_definitions_actions_gin").using("gin", t.allowedResourceActions),
  ],
);

/** One approval stage: "anyOne", "all" or "nOfM" (with `required`) of its approvers. */
export type ApprovalStage = {
  mode: "anyOne" | "all" | "nOfM";
  required?: number;
  approvers: { type: "User" | "Group"; id: string }[];
  /** Hours a stage may wait before the request times out (Entra: 24). */
  escalationHours?: number;
};

/** The 3 × 3 notification matrix of §3. */
export type NotificationRule = {
  defaultRecipients: boolean;
  additionalRecipients: string[];
  criticalOnly: boolean;
};
export type NotificationEventKey = "eligibleAssigned" | "activeAssigned" | "eligibleActivated";
export type NotificationRecipientKey = "admin" | "assignee" | "approver";
export type NotificationSettings = Record<NotificationEventKey, Record<NotificationRecipientKey, NotificationRule>>;

export const roleSettings = pgTable(
  "role_settings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    roleDefinitionId: uuid("role_definition_id")
      .notNull()
      .references(() => roleDefinitions.id, { onDelete: "cascade" }),
    /** "/" for the directory-wide policy; a scope-specific policy overrides it. */
    directoryScopeId: text("directory_scope_id").notNull().default("/"),
    activationMaxMinutes: integer("activation_max_minutes").notNull().default(480),
    activationRequireMfa: boolean("activation_require_mfa").notNull().default(false),
    activationRequireJustification: boolean("activation_require_justification").notNull().default(true),
    activationRequireTicket: boolean("activation_require_ticket").notNull().default(false),
    approvalRequired: boolean("approval_required").notNull().default(false),
    approvalStages: jsonb("approval_stages").$type<ApprovalStage[]>().notNull().default([]),
    allowPermanentEligible: boolean("allow_permanent_eligible").notNull().default(true),
    eligibleMaxDays: integer("eligible_max_days").notNull().default(365),
    allowPermanentActive: boolean("allow_permanent_active").notNull().default(true),
    activeMaxDays: integer("active_max_days").notNull().default(180),
    activeRequireMfa: boolean("active_require_mfa").notNull().default(false),
    activeRequireJustification: boolean("active_require_justification").notNull().default(true),
    notifications: jsonb("notifications").$type<NotificationSettings>(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    updatedBy: uuid("updated_by"),
  },
  (t) => [
    uniqueIndex("role_settings_role_scope_idx").on(t.roleDefinitionId, t.directoryScopeId),
    check("role_settings_activation_max", sql`${t.activationMaxMinutes} between 30 and 1440`),
  ],
);

// ---------------------------------------------------------------- requests, schedules, decisions
export const scheduleRequests = pgTable(
  "schedule_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestType: requestType("request_type").notNull(),
    action: requestAction("action").notNull(),
    status: requestStatus("status").notNull(),
    principalId: uuid("principal_id").notNull(),
    principalType: principalType("principal_type").notNull(),
    roleDefinitionId: uuid("role_definition_id")
      .notNull()
      .references(() => roleDefinitions.id),
    directoryScopeId: text("directory_scope_id").notNull().default("/"),
    /** Who asked (a user or a service principal). */
    requestorId: uuid("requestor_id"),
    requestorType: principalType("requestor_type"),
    justification: text("justification"),
    ticketNumber: text("ticket_number"),
    ticketSystem: text("ticket_system"),
    startDateTime: ts("start_date_time"),
    expirationType: expirationType("expiration_type").notNull().default("noExpiration"),
    endDateTime: ts("end_date_time"),
    duration: text("duration"),
    /** The schedule this request created or acts on. */
    targetScheduleId: uuid("target_schedule_id"),
    /** For selfActivate: the eligibility it activates. */
    eligibilityScheduleId: uuid("eligibility_schedule_id"),
    /** Snapshot of the approval stages at request time; decisions are counted against it. */
    approvalStages: jsonb("approval_stages").$type<ApprovalStage[]>().notNull().default([]),
    currentStage: integer("current_stage").notNull().default(0),
    /** Whether the requestor's session had passed MFA recently when asking. */
    mfaVerified: boolean("mfa_verified").notNull().default(false),
    failureReason: text("failure_reason"),
    createdDateTime: ts("created_date_time").notNull().defaultNow(),
    completedDateTime: ts("completed_date_time"),
    /** Undecided pending requests time out at this moment (created + 24 h). */
    approvalDeadline: ts("approval_deadline"),
    clientIp: text("client_ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    index("schedule_requests_principal_idx").on(t.principalId, t.createdDateTime),
    // My requests: "made by me or for me" reads both sides by index (a scan of every request otherwise).
    index("schedule_requests_requestor_idx").on(t.requestorId, t.createdDateTime),
    index("schedule_requests_status_idx").on(t.status, t.createdDateTime),
    index("schedule_requests_pending_deadline_idx")
      .on(t.approvalDeadline)
      .where(sql`${t.status} = 'PendingApproval'`),
    index("schedule_requests_role_idx").on(t.roleDefinitionId, t.status),
    index("schedule_requests_created_idx").on(t.createdDateTime, t.id),
  ],
);

export const roleEligibilitySchedules = pgTable(
  "role_eligibility_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    principalId: uuid("principal_id").notNull(),
    principalType: principalType("principal_type").notNull(),
    roleDefinitionId: uuid("role_definition_id")
      .notNull()
      .references(() => roleDefinitions.id),
    directoryScopeId: text("directory_scope_id").notNull().default("/"),
    memberType: memberType("member_type").notNull().default("Direct"),
    status: scheduleStatus("status").notNull().default("Provisioned"),
    startDateTime: ts("start_date_time").notNull(),
    /** null = permanent. Removal sets it to the moment of removal. */
    endDateTime: ts("end_date_time"),
    createdUsing: uuid("created_using"),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    expiringNotice14dAt: ts("expiring_notice_14d_at"),
    expiringNotice1dAt: ts("expiring_notice_1d_at"),
    /** Sort keys of the Assignments blade, kept by triggers (0006): the role's and the principal's display names. */
    roleName: text("role_name").notNull().default(""),
    principalName: text("principal_name").notNull().default(""),
  },
  (t) => [
    index("eligibility_principal_idx").on(t.principalId, t.roleDefinitionId, t.directoryScopeId),
    index("eligibility_role_idx").on(t.roleDefinitionId, t.status),
    index("eligibility_due_idx")
      .on(t.endDateTime)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    index("eligibility_created_idx").on(t.createdAt, t.id),
    // Assignments blade, Eligible tab: keyset on (role name, member name, id) over the live rows.
    index("eligibility_blade_idx")
      .on(t.roleName, t.principalName, t.id)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    // Roles page: distinct holders per role, read in principal order and stopped at the cap (index-only).
    index("eligibility_role_holder_idx")
      .on(t.roleDefinitionId, t.principalId, t.startDateTime, t.endDateTime)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    // Roles page: in force by status but starting later (their holders are left out until they start).
    index("eligibility_in_force_start_idx")
      .on(t.startDateTime)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    // Expired tab: the recently ended, by end.
    index("eligibility_expired_end_idx")
      .on(t.endDateTime)
      .where(sql`${t.status} = 'Expired'`),
    // Assignments blade search on the member's name (`ilike '%q%'`), every tab: trigram (pg_trgm).
    index("eligibility_principal_name_trgm_idx").using("gin", t.principalName.op("gin_trgm_ops")),
  ],
);

export const roleAssignmentSchedules = pgTable(
  "role_assignment_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    principalId: uuid("principal_id").notNull(),
    principalType: principalType("principal_type").notNull(),
    roleDefinitionId: uuid("role_definition_id")
      .notNull()
      .references(() => roleDefinitions.id),
    directoryScopeId: text("directory_scope_id").notNull().default("/"),
    assignmentType: assignmentType("assignment_type").notNull(),
    memberType: memberType("member_type").notNull().default("Direct"),
    status: scheduleStatus("status").notNull().default("Provisioned"),
    startDateTime: ts("start_date_time").notNull(),
    /** null = permanent. Deactivation and removal set it to that moment, so the window alone decides access. */
    endDateTime: ts("end_date_time"),
    /** For Activated: the eligibility it came from (never outlives it). */
    eligibilityScheduleId: uuid("eligibility_schedule_id").references(() => roleEligibilitySchedules.id),
    createdUsing: uuid("created_using"),
    createdBy: uuid("created_by"),
    /** "pim" when made through this portal; anything else raises the "assigned outside PIM" alert. */
    origin: text("origin").notNull().default("external"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    expiringNotice14dAt: ts("expiring_notice_14d_at"),
    expiringNotice1dAt: ts("expiring_notice_1d_at"),
    /** Sort keys of the Assignments blade, kept by triggers (0006): the role's and the principal's display names. */
    roleName: text("role_name").notNull().default(""),
    principalName: text("principal_name").notNull().default(""),
  },
  (t) => [
    // The access check: principal → role → scope, window filtered in the row.
    index("assignment_access_idx").on(
      t.principalId,
      t.roleDefinitionId,
      t.directoryScopeId,
      t.startDateTime,
      t.endDateTime,
    ),
    index("assignment_role_idx").on(t.roleDefinitionId, t.status),
    index("assignment_due_idx")
      .on(t.endDateTime)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    index("assignment_eligibility_idx").on(t.eligibilityScheduleId),
    index("assignment_created_idx").on(t.createdAt, t.id),
    // Assignments blade, Active tab: keyset on (role name, member name, id) over the live rows.
    index("assignment_blade_idx")
      .on(t.roleName, t.principalName, t.id)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    // Roles page: distinct holders per role, read in principal order and stopped at the cap (index-only).
    index("assignment_role_holder_idx")
      .on(t.roleDefinitionId, t.principalId, t.startDateTime, t.endDateTime)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    // Roles page: in force by status but starting later (their holders are left out until they start).
    index("assignment_in_force_start_idx")
      .on(t.startDateTime)
      .where(sql`${t.status} in ('Provisioned','Granted')`),
    // Expired tab: the recently ended, by end.
    index("assignment_expired_end_idx")
      .on(t.endDateTime)
      .where(sql`${t.status} = 'Expired'`),
    // Assignments blade search on the member's name (`ilike '%q%'`), every tab: trigram (pg_trgm).
    index("assignment_principal_name_trgm_idx").using("gin", t.principalName.op("gin_trgm_ops")),
    // Overview: activations per day over the last 30 days, without reading older ones.
    index("assignment_activated_start_idx")
      .on(t.startDateTime, t.status)
      .where(sql`${t.assignmentType} = 'Activated'`),
    // Discovery and insights: permanent active assignments in (role, member) order, and service principals' ones.
    // (0021 also INCLUDEs role_definition_id, principal_type and start_date_time in the first: its per-role chart
    // is read from the index alone; Drizzle's builder has no INCLUDE.)
    index("assignment_standing_idx")
      .on(t.roleName, t.principalName, t.id)
      .where(
        sql`${t.assignmentType} = 'Assigned' and ${t.endDateTime} is null and ${t.status} in ('Provisioned','Granted')`,
      ),
    index("assignment_service_principal_idx")
      .on(t.principalName, t.id)
      .where(sql`${t.principalType} = 'ServicePrincipal' and ${t.status} in ('Provisioned','Granted')`),
    // At most one live activation per eligibility and person: two concurrent activations cannot both land.
    // (Per person because a group's eligibility is activated by each member for themselves.)
    uniqueIndex("assignment_one_live_activation_idx")
      .on(t.eligibilityScheduleId, t.principalId)
      .where(sql`${t.assignmentType} = 'Activated' and ${t.status} in ('Provisioned','Granted')`),
  ],
);

export const approvalDecisions = pgTable(
  "approval_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => scheduleRequests.id, { onDelete: "cascade" }),
    stage: integer("stage").notNull(),
    approverId: uuid("approver_id").notNull(),
    decision: decisionValue("decision").notNull(),
    justification: text("justification").notNull(),
    decidedAt: ts("decided_at").notNull().defaultNow(),
  },
  (t) => [
    // Every approval in a request comes from a distinct person.
    uniqueIndex("approval_decisions_request_approver_idx").on(t.requestId, t.approverId),
    index("approval_decisions_approver_idx").on(t.approverId, t.decidedAt),
  ],
);

// ---------------------------------------------------------------- audit
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    eventId: uuid("event_id").notNull().defaultRandom(),
    /** Milliseconds (a JS Date's precision): every stored digit is covered by the hash. */
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date", precision: 3 }).notNull().defaultNow(),
    category: text("category").notNull().default("RoleManagement"),
    /** Entra-style activity name, e.g. "Add member to role completed (PIM activation)". */
    activity: text("activity").notNull(),
    /** Machine name of the operation, e.g. "selfActivate", "roleSettings.update". */
    operation: text("operation").notNull(),
    result: auditResult("result").notNull().default("success"),
    resultReason: text("result_reason"),
    actorId: uuid("actor_id"),
    actorType: principalType("actor_type"),
    actorName: text("actor_name"),
    targetId: uuid("target_id"),
    targetType: principalType("target_type"),
    targetName: text("target_name"),
    roleDefinitionId: uuid("role_definition_id"),
    roleName: text("role_name"),
    directoryScopeId: text("directory_scope_id"),
    requestId: uuid("request_id"),
    justification: text("justification"),
    ticketNumber: text("ticket_number"),
    ticketSystem: text("ticket_system"),
    clientIp: text("client_ip"),
    userAgent: text("user_agent"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    /** Hash chain: sha256 over every other column as stored, prev_hash included (lib/pim/audit-chain). */
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_created_idx").on(t.createdAt, t.id),
    index("audit_actor_idx").on(t.actorId, t.createdAt, t.id),
    index("audit_target_idx").on(t.targetId, t.createdAt, t.id),
    index("audit_role_idx").on(t.roleDefinitionId, t.createdAt, t.id),
    index("audit_operation_idx").on(t.operation, t.createdAt, t.id),
    // Activity filtered on failures, and its capped total: the few failed events without the successes (0023).
    index("audit_failure_idx")
      .on(t.id)
      .where(sql`${t.result} = 'failure'`),
    index("audit_request_idx").on(t.requestId),
  ],
);

/**
 * Roles page holder counts, kept by statement triggers on both schedule tables (0013), in the writing
 * transaction: per (kind, role, principal) the schedules in status Provisioned/Granted, and per (kind, role)
 * how many principals have at least one. `kind` is 'eligibility' or 'assignment'.
 */
export const roleHolderSchedules = pgTable(
  "role_holder_schedules",
  {
    kind: text("kind").notNull(),
    roleDefinitionId: uuid("role_definition_id").notNull(),
    principalId: uuid("principal_id").notNull(),
    schedules: integer("schedules").notNull(),
  },
  (t) => [primaryKey({ name: "role_holder_schedules_pkey", columns: [t.kind, t.roleDefinitionId, t.principalId] })],
);

export const roleHolderCounts = pgTable(
  "role_holder_counts",
  {
    kind: text("kind").notNull(),
    roleDefinitionId: uuid("role_definition_id").notNull(),
    holders: integer("holders").notNull(),
  },
  (t) => [primaryKey({ name: "role_holder_counts_pkey", columns: [t.kind, t.roleDefinitionId] })],
);

/** Overview chart: role activations (Activated, not Canceled) per UTC day of their start, kept by triggers (0013). */
export const activationDays = pgTable("activation_days", {
  day: date("day", { mode: "string" }).primaryKey(),
  activations: integer("activations").notNull(),
});

/**
 * Every activity name ever written to audit_events, kept by a statement trigger (0006): the Activity
 * filter's drop-down reads this small table instead of a DISTINCT over a million audit rows.
 */
export const auditActivityNames = pgTable("audit_activity_names", {
  activity: text("activity").primaryKey(),
});

/** Every run of the audit chain verifier (scheduled, or `npm run audit:verify`) and what it found. */
export const auditVerifications = pgTable(
  "audit_verifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at").notNull(),
    /** "schedule" (the app's jobs) or "cli" (npm run audit:verify). */
    trigger: text("trigger").notNull(),
    ok: boolean("ok").notNull(),
    rowsChecked: bigint("rows_checked", { mode: "number" }).notNull(),
    checkpointsChecked: integer("checkpoints_checked").notNull(),
    breakCount: integer("break_count").notNull(),
    /** The first breaks found (at most 50; break_count has them all). */
    breaks: jsonb("breaks").$type<{ kind: string; rowId: number | null; message: string }[]>().notNull(),
    headId: bigint("head_id", { mode: "number" }),
    headHash: text("head_hash"),
  },
  (t) => [index("audit_verifications_finished_idx").on(t.finishedAt)],
);

/**
 * Audit rows written before the hash covered every column (recorded by migration 0005). The migrator
 * re-anchors them (lib/pim/audit-chain/reanchor.ts) with an audit row saying which rows and why, then
 * removes the entry. The app's role has no rights here.
 */
export const auditLegacySegments = pgTable("audit_legacy_segments", {
  lastId: bigint("last_id", { mode: "number" }).primaryKey(),
  recordedAt: ts("recorded_at").notNull().defaultNow(),
});

// ---------------------------------------------------------------- notifications (outbox + in-portal inbox)
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    createdAt: createdAt(),
    eventType: text("event_type").notNull(),
    /** A portal user who sees it in the bell; null for external addresses. */
    recipientUserId: uuid("recipient_user_id"),
    recipientEmail: text("recipient_email"),
    subject: text("subject").notNull(),
    /**
     * The whole body; null for a notice of a fan-out (0022), whose body is its audience's parts
     * (`bodyKey` → notification_bodies) around its `greeting`: read it through `noticeText`/`noticeHtml`.
     */
    bodyText: text("body_text"),
    bodyHtml: text("body_html"),
    bodyKey: text("body_key"),
    greeting: text("greeting"),
    link: text("link"),
    requestId: uuid("request_id"),
    /** Email delivery state (the outbox). */
    status: outboxStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    lockedUntil: ts("locked_until"),
    lastError: text("last_error"),
    sentAt: ts("sent_at"),
    readAt: ts("read_at"),
    /** Dedupe key: the same notice (e.g. "expiring 14d for schedule X to user Y") is queued once. */
    dedupeKey: text("dedupe_key"),
  },
  (t) => [
    index("notifications_recipient_idx").on(t.recipientUserId, t.createdAt, t.id),
    index("notifications_unread_idx")
      .on(t.recipientUserId)
      .where(sql`${t.readAt} is null`),
    index("notifications_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    // The delivery worker reclaims rows whose lease ran out; admins list failed deliveries.
    index("notifications_sending_idx")
      .on(t.lockedUntil)
      .where(sql`${t.status} = 'sending'`),
    index("notifications_failed_idx")
      .on(t.createdAt, t.id)
      .where(sql`${t.status} = 'failed'`),
    uniqueIndex("notifications_dedupe_idx").on(t.dedupeKey),
    // retention (0024): delivered notices past NOTICE_RETENTION_DAYS, oldest first
    index("notifications_created_idx").on(t.createdAt),
    check(
      "notifications_body_check",
      sql`(${t.bodyText} is not null and ${t.bodyHtml} is not null) or (${t.bodyKey} is not null and ${t.greeting} is not null)`,
    ),
  ],
);

/** One audience's rendered notice, around the greeting each recipient's notice fills in (0022). */
export const notificationBodies = pgTable(
  "notification_bodies",
  {
    /** sha256 of the four parts: a retried fan-out, or the same words in another event, add no copy. */
    key: text("key").primaryKey(),
    /** When a fan-out last used it (a reuse moves it on): no notice that names it is younger (retention). */
    createdAt: createdAt(),
    textPre: text("text_pre").notNull(),
    textPost: text("text_post").notNull(),
    htmlPre: text("html_pre").notNull(),
    htmlPost: text("html_post").notNull(),
  },
  (t) => [index("notification_bodies_created_idx").on(t.createdAt)],
);

/**
 * The notification outbox of domain events: a use case's transaction writes ONE row per event (never one
 * per recipient); the delivery worker fans each event out to its recipients' `notifications` rows in one
 * transaction (claimed FOR UPDATE SKIP LOCKED, marked fanned out in that same transaction), so an event is
 * fanned out exactly once or not at all, and a worker that dies mid-fan-out leaves it pending for the next.
 */
export const notificationEvents = pgTable(
  "notification_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The emitting transaction's `now`: recipients and texts are resolved as of this moment. */
    createdAt: ts("created_at").notNull(),
    event: jsonb("event").$type<Record<string, unknown>>().notNull(),
    fannedOutAt: ts("fanned_out_at"),
    attempts: integer("attempts").notNull().default(0),
    /** null = due now; set after a failed fan-out (backoff). */
    nextAttemptAt: ts("next_attempt_at"),
    lastError: text("last_error"),
  },
  (t) => [
    index("notification_events_created_idx").on(t.createdAt),
    index("notification_events_pending_idx")
      .on(t.id)
      .where(sql`${t.fannedOutAt} is null`),
  ],
);

// ---------------------------------------------------------------- auth: sessions and MFA
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    /** When this session passed a TOTP challenge; null = password only (MFA still owed). */
    mfaAt: ts("mfa_at"),
    /** Set when the session was replaced by a fresh token (after MFA) or ended by sign-out. */
    revokedAt: ts("revoked_at"),
    replacedBy: uuid("replaced_by"),
    method: text("method").notNull().default("password"),
    clientIp: text("client_ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId, t.createdAt)],
);

export const userMfa = pgTable("user_mfa", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** AES-256-GCM ciphertext (key derived from AUTH_SECRET). */
  secretEncrypted: text("secret_encrypted"),
  pendingSecretEncrypted: text("pending_secret_encrypted"),
  enrolledAt: ts("enrolled_at"),
  /** The last accepted TOTP time step: a code is accepted at most once. */
  lastUsedStep: bigint("last_used_step", { mode: "number" }),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  lockedUntil: ts("locked_until"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

// ---------------------------------------------------------------- alerts and access reviews (0014)
/** The last evaluation of each security alert (§9): written by the scheduled job and by Refresh. */
export const alertStates = pgTable("alert_states", {
  alertKey: text("alert_key").primaryKey(),
  active: boolean("active").notNull().default(false),
  affectedCount: integer("affected_count").notNull().default(0),
  /** A bounded sample of the affected items (the page shows these). */
  affected: jsonb("affected").$type<Record<string, unknown>[]>().notNull().default([]),
  /** md5 of every affected item's key: a dismissal holds while it is unchanged. */
  fingerprint: text("fingerprint").notNull().default(""),
  details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
  raisedAt: ts("raised_at"),
  evaluatedAt: ts("evaluated_at").notNull(),
});

export const alertDismissals = pgTable(
  "alert_dismissals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    alertKey: text("alert_key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    reason: text("reason").notNull(),
    dismissedBy: uuid("dismissed_by"),
    dismissedByName: text("dismissed_by_name"),
    dismissedAt: ts("dismissed_at").notNull(),
  },
  (t) => [index("alert_dismissals_key_idx").on(t.alertKey, t.dismissedAt)],
);

/** Who reviews in one stage of an access review. */
export type ReviewStage = {
  reviewerType: "selected" | "self" | "manager";
  /** For "selected": users and groups (groups are expanded to members when the instance starts). */
  reviewers: { type: "User" | "Group"; id: string }[];
  /** When a member has no manager (or for "self", a group or service principal): these review instead. */
  fallbackReviewers: { type: "User" | "Group"; id: string }[];
  /** Days this stage lasts; the stages together fill the instance's duration. */
  durationDays: number;
};

export const accessReviewDefinitions = pgTable(
  "access_review_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    displayName: text("display_name").notNull(),
    description: text("description").notNull().default(""),
    roleDefinitionIds: uuid("role_definition_ids").array().notNull(),
    /** null = every scope. */
    directoryScopeId: text("directory_scope_id"),
    assignmentKind: text("assignment_kind").$type<"eligible" | "active" | "all">().notNull(),
    stages: jsonb("stages").$type<ReviewStage[]>().notNull(),
    startDateTime: ts("start_date_time").notNull(),
    durationDays: integer("duration_days").notNull(),
    recurrence: text("recurrence")
      .$type<"oneTime" | "weekly" | "monthly" | "quarterly" | "semiAnnually" | "annually">()
      .notNull()
      .default("oneTime"),
    recurrenceEndDateTime: ts("recurrence_end_date_time"),
    autoApply: boolean("auto_apply").notNull().default(false),
    defaultDecision: text("default_decision")
      .$type<"noChange" | "remove" | "approve" | "recommendation">()
      .notNull()
      .default("noChange"),
    justificationRequired: boolean("justification_required").notNull().default(true),
    recommendationsEnabled: boolean("recommendations_enabled").notNull().default(true),
    remindersEnabled: boolean("reminders_enabled").notNull().default(true),
    stoppedAt: ts("stopped_at"),
    /** The kinds of principal reviewed (Graph's `isof(principal, …)`); null = every kind. */
    principalTypes: text("principal_types").array().$type<("User" | "Group" | "ServicePrincipal")[]>(),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
  },
  (t) => [index("access_review_definitions_created_idx").on(t.createdAt, t.id)],
);

export const accessReviewInstances = pgTable(
  "access_review_instances",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    definitionId: uuid("definition_id")
      .notNull()
      .references(() => accessReviewDefinitions.id, { onDelete: "cascade" }),
    sequence: integer("sequence").notNull(),
    startDateTime: ts("start_date_time").notNull(),
    endDateTime: ts("end_date_time").notNull(),
    status: reviewStatus("status").notNull().default("NotStarted"),
    currentStage: integer("current_stage").notNull().default(0),
    stageEndDateTime: ts("stage_end_date_time"),
    /** Maintained counts (progress without counting items per page load). */
    itemCount: integer("item_count").notNull().default(0),
    decidedCount: integer("decided_count").notNull().default(0),
    completedAt: ts("completed_at"),
    appliedAt: ts("applied_at"),
    remindedAt: ts("reminded_at"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("access_review_instances_seq_idx").on(t.definitionId, t.sequence),
    index("access_review_instances_status_idx").on(t.status, t.endDateTime),
  ],
);

export const accessReviewItems = pgTable(
  "access_review_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    instanceId: uuid("instance_id")
      .notNull()
      .references(() => accessReviewInstances.id, { onDelete: "cascade" }),
    scheduleKind: text("schedule_kind").$type<"eligibility" | "assignment">().notNull(),
    scheduleId: uuid("schedule_id").notNull(),
    principalId: uuid("principal_id").notNull(),
    principalType: principalType("principal_type").notNull(),
    principalName: text("principal_name").notNull(),
    principalUpn: text("principal_upn"),
    roleDefinitionId: uuid("role_definition_id").notNull(),
    roleName: text("role_name").notNull(),
    directoryScopeId: text("directory_scope_id").notNull(),
    recommendation: text("recommendation").$type<"Approve" | "Deny">(),
    recommendationReason: text("recommendation_reason"),
    lastActivationAt: ts("last_activation_at"),
    lastSignInAt: ts("last_sign_in_at"),
    /** Set when the instance completes: Approve | Deny | DontKnow | NotReviewed. */
    outcome: text("outcome").$type<"Approve" | "Deny" | "DontKnow" | "NotReviewed">(),
    /** reviewer | noResponse | recommendation */
    outcomeSource: text("outcome_source"),
    appliedAt: ts("applied_at"),
    applyResult: text("apply_result"),
  },
  (t) => [
    uniqueIndex("access_review_items_schedule_idx").on(t.instanceId, t.scheduleId),
    index("access_review_items_page_idx").on(t.instanceId, t.principalName, t.id),
  ],
);

export const accessReviewItemReviewers = pgTable(
  "access_review_item_reviewers",
  {
    itemId: uuid("item_id")
      .notNull()
      .references(() => accessReviewItems.id, { onDelete: "cascade" }),
    stage: integer("stage").notNull(),
    reviewerId: uuid("reviewer_id").notNull(),
    instanceId: uuid("instance_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "access_review_item_reviewers_pk", columns: [t.itemId, t.stage, t.reviewerId] }),
    index("access_review_item_reviewers_reviewer_idx").on(t.reviewerId, t.instanceId, t.stage),
  ],
);

export const accessReviewDecisions = pgTable(
  "access_review_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    itemId: uuid("item_id")
      .notNull()
      .references(() => accessReviewItems.id, { onDelete: "cascade" }),
    instanceId: uuid("instance_id").notNull(),
    stage: integer("stage").notNull(),
    reviewerId: uuid("reviewer_id").notNull(),
    reviewerName: text("reviewer_name").notNull(),
    decision: text("decision").$type<"Approve" | "Deny" | "DontKnow">().notNull(),
    justification: text("justification"),
    decidedAt: ts("decided_at").notNull(),
  },
  (t) => [
    uniqueIndex("access_review_decisions_item_stage_idx").on(t.itemId, t.stage),
    index("access_review_decisions_instance_idx").on(t.instanceId, t.stage),
  ],
);

/** Key/value state for background jobs (e.g. the last sweep time) so several instances coordinate. */
export const jobState = pgTable("job_state", {
  name: text("name").primaryKey(),
  lastRunAt: ts("last_run_at"),
  lastResult: jsonb("last_result").$type<Record<string, unknown>>(),
});

// ---------------------------------------------------------------- sign-in security
/**
 * Smart lockout counters (lib/auth/identify.ts): consecutive wrong passwords per account *and* source.
 * `account` is `user:<id>` for a directory user and `name:<lower-cased name>` for a name that matches nobody,
 * so unknown and known names lock alike. `source` is `ip:<address>` for an address the account has signed in
 * from before (familiar), `unfamiliar` for every other address (one shared counter), `unknown` without one.
 */
export const signInLockouts = pgTable(
  "sign_in_lockouts",
  {
    account: text("account").notNull(),
    source: text("source").notNull(),
    failures: integer("failures").notNull().default(0),
    lockedUntil: ts("locked_until"),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.account, t.source] })],
);

export const signInKind = pgEnum("sign_in_kind", ["password", "oidc", "mfa"]);
export const signInResult = pgEnum("sign_in_result", ["success", "failure", "locked"]);

/**
 * The sign-in log: every password and OIDC sign-in, failed or not, every MFA challenge answered, every lockout.
 * Append-only by use; `user_id` has no foreign key so a person's history outlives their account row;
 * `identifier` is the name typed (or the OIDC email claimed), kept for attempts that match nobody.
 */
export const signInEvents = pgTable(
  "sign_in_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: ts("at").notNull(),
    userId: uuid("user_id"),
    identifier: text("identifier"),
    kind: signInKind("kind").notNull(),
    result: signInResult("result").notNull(),
    reason: text("reason"),
    clientIp: text("client_ip"),
    userAgent: text("user_agent"),
    sessionId: uuid("session_id"),
  },
  (t) => [
    index("sign_in_events_at_idx").on(t.at, t.id),
    index("sign_in_events_user_idx").on(t.userId, t.at, t.id),
    index("sign_in_events_familiar_idx")
      .on(t.userId, t.clientIp)
      .where(sql`kind = 'password' and result = 'success'`),
  ],
);

// ---------------------------------------------------------------- webhooks out
/** An admin's webhook endpoint: the events it receives and its signing secret (encrypted at rest). */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: uuid("id").primaryKey().defaultRandom(),
  url: text("url").notNull(),
  description: text("description"),
  eventTypes: text("event_types").array().notNull(),
  /** The `whsec_…` secret, AES-256-GCM under AUTH_SECRET (lib/auth/secret-box.ts): the worker signs with it. */
  secretEncrypted: text("secret_encrypted").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  disabledAt: ts("disabled_at"),
  disabledReason: text("disabled_reason"),
  /** Failed attempts in a row (any delivery); reset by a success. Past the limit the endpoint is disabled. */
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  createdBy: uuid("created_by"),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * One event for one endpoint: written when the notification event is fanned out (same transaction), sent
 * by the delivery worker. `message_id` is the Standard Webhooks `webhook-id` (the same on every retry and
 * redelivery); `body` is the exact bytes signed and sent.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    body: text("body").notNull(),
    status: text("status").$type<"pending" | "sending" | "delivered" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    lockedUntil: ts("locked_until"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_message_idx").on(t.endpointId, t.messageId),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_sending_idx")
      .on(t.lockedUntil)
      .where(sql`${t.status} = 'sending'`),
    index("webhook_deliveries_log_idx").on(t.endpointId, t.createdAt, t.id),
    check("webhook_deliveries_status_check", sql`${t.status} in ('pending','sending','delivered','failed')`),
  ],
);

/** Every attempt of a delivery: when, the response code (null when no answer) or the error. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: ts("at").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.at)],
);
