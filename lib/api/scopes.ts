/**
 * Graph permission names a token may carry, and which of them each kind of call accepts (least privileged
 * first, as in Graph's permission tables). A permission only opens the door: the engine still decides on
 * database state (an admin action needs GA/PRA held now, self-activation needs an eligibility, ...).
 */
import { API_TOKEN_SCOPES } from "@/lib/validation/api-tokens";

/** The one list lives beside the token inputs that validate it. */
export const GRAPH_SCOPES = API_TOKEN_SCOPES;
export type GraphScope = (typeof GRAPH_SCOPES)[number];

export const SCOPE_DESCRIPTIONS: Record<GraphScope, string> = {
  "RoleAssignmentSchedule.Read.Directory": "Read active assignments, activations and their requests",
  "RoleAssignmentSchedule.ReadWrite.Directory": "Activate, deactivate, assign, remove and approve active assignments",
  "RoleEligibilitySchedule.Read.Directory": "Read eligible assignments and their requests",
  "RoleEligibilitySchedule.ReadWrite.Directory": "Assign, update and remove eligible assignments",
  "RoleManagement.Read.Directory": "Read everything in role management (and ask the access check)",
  "RoleManagement.ReadWrite.Directory": "Read and change everything in role management",
  "RoleManagementPolicy.Read.Directory": "Read role settings (policies and rules)",
  "RoleManagementPolicy.ReadWrite.Directory": "Change role settings",
  "AuditLog.Read.All": "Read the audit log",
  "User.Read": "Read your own profile (/me)",
  "User.Read.All": "Read all users",
  "Group.Read.All": "Read all groups",
  "AccessReview.Read.All": "Read access reviews, their instances and decisions",
  "AccessReview.ReadWrite.All": "Create, decide, stop, reset and apply access reviews",
};

const RM_READ: GraphScope[] = ["RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory"];

/** The permission sets of the API, by what a call does. A token needs any one of the set. */
export const NEEDS = {
  assignmentRead: ["RoleAssignmentSchedule.Read.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", ...RM_READ],
  assignmentWrite: ["RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
  eligibilityRead: [
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    ...RM_READ,
  ],
  eligibilityWrite: ["RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
  roleDefinitionRead: [
    ...RM_READ,
    "RoleAssignmentSchedule.Read.Directory",
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
  ],
  policyRead: ["RoleManagementPolicy.Read.Directory", "RoleManagementPolicy.ReadWrite.Directory", ...RM_READ],
  policyWrite: ["RoleManagementPolicy.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
  auditRead: ["AuditLog.Read.All"],
  userRead: ["User.Read.All"],
  groupRead: ["Group.Read.All"],
  roleAssignmentRead: [
    ...RM_READ,
    "RoleAssignmentSchedule.Read.Directory",
    "RoleAssignmentSchedule.ReadWrite.Directory",
  ],
  meRead: ["User.Read", "User.Read.All"],
  accessCheck: [...RM_READ],
  /** Graph's access review permissions; the role-management read permissions kept reading reviews as before. */
  accessReviewRead: [
    "AccessReview.Read.All",
    "AccessReview.ReadWrite.All",
    ...RM_READ,
    "RoleAssignmentSchedule.Read.Directory",
    "RoleAssignmentSchedule.ReadWrite.Directory",
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
  ],
  accessReviewWrite: ["AccessReview.ReadWrite.All"],
} satisfies Record<string, GraphScope[]>;
export type Need = keyof typeof NEEDS;

export const isGraphScope = (s: string): s is GraphScope => (GRAPH_SCOPES as readonly string[]).includes(s);
