/**
 * Built-in role definitions (Entra's names, template ids and a representative set of their permissions).
 * The seed loads these; the core refers to the two PIM-managing roles by template id.
 */
export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
export const PRIVILEGED_ROLE_ADMINISTRATOR = "e8611ab8-c189-46e8-94e1-60213ab1f814";
export const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
export const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
export const APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
export const SECURITY_ADMINISTRATOR = "194ae4cb-b126-40b2-bd5b-6091b380977d";
export const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
export const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
export const GROUPS_ADMINISTRATOR = "fdd7a751-b60b-444a-984c-02652fe8fa1c";
export const AUTHENTICATION_ADMINISTRATOR = "c4e39bd9-1100-46d3-8c65-fb160da0071f";

/** Roles whose holders manage PIM (assign, settings, cancel others' requests, default approvers). */
export const PIM_ADMIN_ROLE_IDS = [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR] as const;
/** Roles whose holders may read everything in PIM (resource audit, all assignments). */
export const PIM_READER_ROLE_IDS = [
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  SECURITY_READER,
  GLOBAL_READER,
] as const;
/** Roles that let their holder create users (the seed's "+ New user" demo). */
export const USER_CREATE_PERMISSION = "microsoft.directory/users/create";

export type BuiltinRole = { id: string; displayName: string; description: string; allowedResourceActions: string[] };

/** Built-in roles use their Entra template id as their id, so Graph clients can address them the same way. */
export const builtinRoles: BuiltinRole[] = [
  {
    id: GLOBAL_ADMINISTRATOR,
    displayName: "Global Administrator",
    description:
      "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
    allowedResourceActions: [
      "microsoft.directory/allEntities/allProperties/allTasks",
      "microsoft.directory/users/create",
      "microsoft.directory/users/delete",
      "microsoft.directory/users/basic/update",
      "microsoft.directory/roleAssignments/allProperties/allTasks",
      "microsoft.directory/privilegedIdentityManagement/allProperties/allTasks",
      "microsoft.directory/groups/create",
      "microsoft.directory/applications/create",
      "microsoft.directory/auditLogs/allProperties/read",
    ],
  },
  {
    id: PRIVILEGED_ROLE_ADMINISTRATOR,
    displayName: "Privileged Role Administrator",
    description:
      "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.",
    allowedResourceActions: [
      "microsoft.directory/roleAssignments/allProperties/allTasks",
      "microsoft.directory/roleDefinitions/allProperties/allTasks",
      "microsoft.directory/privilegedIdentityManagement/allProperties/allTasks",
      "microsoft.directory/servicePrincipals/appRoleAssignedTo/update",
      "microsoft.directory/auditLogs/allProperties/read",
    ],
  },
  {
    id: USER_ADMINISTRATOR,
    displayName: "User Administrator",
    description: "Can manage all aspects of users and groups, including resetting passwords for limited admins.",
    allowedResourceActions: [
      "microsoft.directory/users/create",
      "microsoft.directory/users/delete",
      "microsoft.directory/users/basic/update",
      "microsoft.directory/users/password/update",
      "microsoft.directory/users/manager/update",
      "microsoft.directory/groups/create",
      "microsoft.directory/groups/members/update",
    ],
  },
  {
    id: HELPDESK_ADMINISTRATOR,
    displayName: "Helpdesk Administrator",
    description: "Can reset passwords for non-administrators and Helpdesk Administrators.",
    allowedResourceActions: [
      "microsoft.directory/users/password/update",
      "microsoft.directory/users/invalidateAllRefreshTokens",
      "microsoft.directory/users/basic/read",
      "microsoft.directory/devices/bitLockerRecoveryKeys/read",
    ],
  },
  {
    id: APPLICATION_ADMINISTRATOR,
    displayName: "Application Administrator",
    description: "Can create and manage all aspects of app registrations and enterprise apps.",
    allowedResourceActions: [
      "microsoft.directory/applications/create",
      "microsoft.directory/applications/credentials/update",
      "microsoft.directory/servicePrincipals/create",
      "microsoft.directory/servicePrincipals/credentials/update",
    ],
  },
  {
    id: SECURITY_ADMINISTRATOR,
    displayName: "Security Administrator",
    description:
      "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.",
    allowedResourceActions: [
      "microsoft.directory/auditLogs/allProperties/read",
      "microsoft.directory/privilegedIdentityManagement/allProperties/read",
      "microsoft.directory/policies/conditionalAccess/update",
      "microsoft.directory/signInReports/allProperties/read",
    ],
  },
  {
    id: SECURITY_READER,
    displayName: "Security Reader",
    description: "Can read security information and reports in Microsoft Entra ID and Office 365.",
    allowedResourceActions: [
      "microsoft.directory/auditLogs/allProperties/read",
      "microsoft.directory/privilegedIdentityManagement/allProperties/read",
      "microsoft.directory/signInReports/allProperties/read",
    ],
  },
  {
    id: GLOBAL_READER,
    displayName: "Global Reader",
    description: "Can read everything that a Global Administrator can, but not update anything.",
    allowedResourceActions: [
      "microsoft.directory/allEntities/allProperties/read",
      "microsoft.directory/auditLogs/allProperties/read",
      "microsoft.directory/privilegedIdentityManagement/allProperties/read",
    ],
  },
  {
    id: GROUPS_ADMINISTRATOR,
    displayName: "Groups Administrator",
    description:
      "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies.",
    allowedResourceActions: [
      "microsoft.directory/groups/create",
      "microsoft.directory/groups/delete",
      "microsoft.directory/groups/members/update",
    ],
  },
  {
    id: AUTHENTICATION_ADMINISTRATOR,
    displayName: "Authentication Administrator",
    description: "Can access to view, set and reset authentication method information for any non-admin user.",
    allowedResourceActions: [
      "microsoft.directory/users/authenticationMethods/create",
      "microsoft.directory/users/authenticationMethods/delete",
      "microsoft.directory/users/password/update",
    ],
  },
];
