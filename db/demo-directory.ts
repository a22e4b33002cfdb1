/**
 * The demo directory (../shared/pim-reference.md §14): tenant "Perparims Cloud Solutions" and its people.
 * DEMO ONLY: these passwords and TOTP secrets are public. Never load this into a real deployment.
 * Ids are fixed so seeding is repeatable and tests can refer to people and schedules by id.
 */
import {
  APPLICATION_ADMINISTRATOR,
  AUTHENTICATION_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  GROUPS_ADMINISTRATOR,
  HELPDESK_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  SECURITY_READER,
  USER_ADMINISTRATOR,
} from "@/lib/pim/directory/builtin-roles";

export const DEMO_TENANT_NAME = "Perparims Cloud Solutions";
export const DEMO_DOMAIN = "PerparimSolutions.onmicrosoft.com";
/** DEMO ONLY. */
export const DEMO_PASSWORD = "PimDemo!2026";

export type DemoUser = {
  id: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle: string;
  department: string;
  /** Base32 TOTP seed. DEMO ONLY. */
  totpSecret: string;
  managerId?: string;
};

const upn = (local: string) => `${local}@${DEMO_DOMAIN}`;

export const demoUsers = {
  perparim: {
    id: "10000000-0000-4000-8000-000000000001",
    displayName: "Perparim Abdullahu",
    userPrincipalName: upn("PerparimAbdullahu"),
    jobTitle: "Cloud Architect (break-glass Global Administrator)",
    department: "IT",
    totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
  },
  emma: {
    id: "10000000-0000-4000-8000-000000000002",
    displayName: "Emma Smith",
    userPrincipalName: upn("emma.smith"),
    jobTitle: "Helpdesk Lead, New York",
    department: "Support",
    totpSecret: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
    managerId: "10000000-0000-4000-8000-000000000005",
  },
  sophia: {
    id: "10000000-0000-4000-8000-000000000003",
    displayName: "Sophia Davis",
    userPrincipalName: upn("sophia.davis"),
    jobTitle: "Identity Engineer",
    department: "IT",
    totpSecret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    managerId: "10000000-0000-4000-8000-000000000001",
  },
  alex: {
    id: "10000000-0000-4000-8000-000000000004",
    displayName: "Alex Johnson",
    userPrincipalName: upn("alex.johnson"),
    jobTitle: "Systems Administrator",
    department: "IT",
    totpSecret: "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
    managerId: "10000000-0000-4000-8000-000000000001",
  },
  grace: {
    id: "10000000-0000-4000-8000-000000000005",
    displayName: "Grace Miller",
    userPrincipalName: upn("grace.miller"),
    jobTitle: "Identity Governance Manager (Privileged Role Administrator)",
    department: "Security",
    totpSecret: "ONSWG4TFOQYTEMZUONSWG4TFOQYTEMZU",
  },
  liam: {
    id: "10000000-0000-4000-8000-000000000006",
    displayName: "Liam Carter",
    userPrincipalName: upn("liam.carter"),
    jobTitle: "IT Operations Manager (approver)",
    department: "IT",
    totpSecret: "NBSWY3DPO5XXE3DENBSWY3DPO5XXE3DE",
  },
  olivia: {
    id: "10000000-0000-4000-8000-000000000007",
    displayName: "Olivia Brown",
    userPrincipalName: upn("olivia.brown"),
    jobTitle: "Security Officer (approver)",
    department: "Security",
    totpSecret: "OBQXG43XN5ZGIMJSGM2DKNRXHA4TAMJS",
  },
  noah: {
    id: "10000000-0000-4000-8000-000000000008",
    displayName: "Noah Wilson",
    userPrincipalName: upn("noah.wilson"),
    jobTitle: "Security Analyst (Security Reader)",
    department: "Security",
    totpSecret: "MZXW6YTBOIAAAAAAMZXW6YTBOIAAAAAA",
  },
} satisfies Record<string, DemoUser>;

export type DemoPersona = keyof typeof demoUsers;

export const demoGroups = {
  approvers: {
    id: "20000000-0000-4000-8000-000000000001",
    displayName: "PIM Approvers",
    description: "Second-stage approvers for sensitive security roles.",
    members: [demoUsers.liam.id, demoUsers.olivia.id],
  },
  helpdeskTier2: {
    id: "20000000-0000-4000-8000-000000000002",
    displayName: "Helpdesk Tier 2",
    description: "Role-assignable group: its members are eligible for Authentication Administrator.",
    members: [demoUsers.emma.id, demoUsers.alex.id],
  },
};

export const demoAdministrativeUnits = {
  newYork: {
    id: "30000000-0000-4000-8000-000000000001",
    displayName: "New York Office",
    description: "Users and devices of the New York office.",
  },
  london: {
    id: "30000000-0000-4000-8000-000000000002",
    displayName: "London Office",
    description: "Users and devices of the London office.",
  },
};

export const demoServicePrincipals = {
  pipeline: {
    id: "40000000-0000-4000-8000-000000000001",
    appId: "40000000-0000-4000-8000-0000000000a1",
    displayName: "Build Pipeline",
    description: "CI/CD automation identity (service principals may only hold active assignments).",
  },
};

export const auScope = (id: string) => `/administrativeUnits/${id}`;

type DemoSchedule = {
  id: string;
  requestId: string;
  kind: "eligibility" | "assignment";
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal";
  roleDefinitionId: string;
  directoryScopeId: string;
};

/** Standing schedules of the demo (all permanent, created 30 days before the seed ran). */
export const demoSchedules: DemoSchedule[] = [
  {
    id: "50000000-0000-4000-8000-000000000001",
    requestId: "60000000-0000-4000-8000-000000000001",
    kind: "assignment",
    principalId: demoUsers.perparim.id,
    principalType: "User",
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-000000000002",
    requestId: "60000000-0000-4000-8000-000000000002",
    kind: "eligibility",
    principalId: demoUsers.perparim.id,
    principalType: "User",
    roleDefinitionId: APPLICATION_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-000000000003",
    requestId: "60000000-0000-4000-8000-000000000003",
    kind: "eligibility",
    principalId: demoUsers.emma.id,
    principalType: "User",
    roleDefinitionId: HELPDESK_ADMINISTRATOR,
    directoryScopeId: auScope(demoAdministrativeUnits.newYork.id),
  },
  {
    id: "50000000-0000-4000-8000-000000000004",
    requestId: "60000000-0000-4000-8000-000000000004",
    kind: "eligibility",
    principalId: demoUsers.sophia.id,
    principalType: "User",
    roleDefinitionId: USER_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-000000000005",
    requestId: "60000000-0000-4000-8000-000000000005",
    kind: "eligibility",
    principalId: demoUsers.alex.id,
    principalType: "User",
    roleDefinitionId: USER_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-000000000006",
    requestId: "60000000-0000-4000-8000-000000000006",
    kind: "assignment",
    principalId: demoUsers.grace.id,
    principalType: "User",
    roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-000000000007",
    requestId: "60000000-0000-4000-8000-000000000007",
    kind: "eligibility",
    principalId: demoUsers.alex.id,
    principalType: "User",
    roleDefinitionId: GROUPS_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-000000000008",
    requestId: "60000000-0000-4000-8000-000000000008",
    kind: "assignment",
    principalId: demoUsers.noah.id,
    principalType: "User",
    roleDefinitionId: SECURITY_READER,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-000000000009",
    requestId: "60000000-0000-4000-8000-000000000009",
    kind: "eligibility",
    principalId: demoUsers.noah.id,
    principalType: "User",
    roleDefinitionId: SECURITY_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-00000000000a",
    requestId: "60000000-0000-4000-8000-00000000000a",
    kind: "eligibility",
    principalId: demoGroups.helpdeskTier2.id,
    principalType: "Group",
    roleDefinitionId: AUTHENTICATION_ADMINISTRATOR,
    directoryScopeId: "/",
  },
  {
    id: "50000000-0000-4000-8000-00000000000b",
    requestId: "60000000-0000-4000-8000-00000000000b",
    kind: "assignment",
    principalId: demoServicePrincipals.pipeline.id,
    principalType: "ServicePrincipal",
    roleDefinitionId: APPLICATION_ADMINISTRATOR,
    directoryScopeId: "/",
  },
];

/**
 * Role settings that differ from Entra's defaults in the demo:
 * - User Administrator: MFA on activation (the seed's story: Sophia passes an MFA challenge).
 * - Groups Administrator: approval by Liam Carter (Alex's approval story).
 * - Security Administrator: two stages — Liam Carter, then any one of the "PIM Approvers" group.
 * - Global Administrator, Privileged Role Administrator: MFA + approval by GA/PRA holders, 2 hours at most.
 */
export const demoRoleSettings: {
  roleDefinitionId: string;
  activationMaxMinutes?: number;
  activationRequireMfa?: boolean;
  approvalRequired?: boolean;
  approvalStages?: {
    mode: "anyOne" | "all" | "nOfM";
    required?: number;
    approvers: { type: "User" | "Group"; id: string }[];
  }[];
}[] = [
  { roleDefinitionId: USER_ADMINISTRATOR, activationRequireMfa: true },
  {
    roleDefinitionId: GROUPS_ADMINISTRATOR,
    approvalRequired: true,
    approvalStages: [{ mode: "anyOne", approvers: [{ type: "User", id: demoUsers.liam.id }] }],
  },
  {
    roleDefinitionId: SECURITY_ADMINISTRATOR,
    activationRequireMfa: true,
    approvalRequired: true,
    approvalStages: [
      { mode: "anyOne", approvers: [{ type: "User", id: demoUsers.liam.id }] },
      { mode: "anyOne", approvers: [{ type: "Group", id: demoGroups.approvers.id }] },
    ],
  },
  {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    activationRequireMfa: true,
    approvalRequired: true,
    activationMaxMinutes: 120,
  },
  {
    roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
    activationRequireMfa: true,
    approvalRequired: true,
    activationMaxMinutes: 120,
  },
];
