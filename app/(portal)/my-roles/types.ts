/** Serializable rows of the My roles tabs (dates as ISO strings), built by page.tsx from the read models. */
export type ActivationPolicy = {
  activationMaxMinutes: number;
  requireMfa: boolean;
  requireJustification: boolean;
  requireTicket: boolean;
  approvalRequired: boolean;
};

export type EligibleRow = {
  id: string;
  roleDefinitionId: string;
  roleName: string;
  roleDescription: string;
  directoryScopeId: string;
  scopeName: string;
  memberType: "Direct" | "Group";
  viaGroupName: string | null;
  start: string;
  end: string | null;
  policy: ActivationPolicy;
  /** The live activation of this eligibility. */
  activeUntil: string | null;
  activeFrom: string | null;
  /** A scheduled activation of this eligibility (starts later): shown as Scheduled; Activate replaces it. */
  scheduledFrom: string | null;
  scheduledId: string | null;
  pendingRequestId: string | null;
  canRequestExtension: boolean;
};

export type ActiveRow = {
  id: string;
  roleName: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  scopeName: string;
  assignmentType: "Assigned" | "Activated";
  memberType: "Direct" | "Group";
  viaGroupName: string | null;
  status: string;
  start: string;
  end: string | null;
  /** Starts later: shown as Scheduled; a scheduled activation can be canceled instead of deactivated. */
  scheduled: boolean;
  /** Activations: Deactivate is allowed now (5 minutes after the start have passed). */
  canDeactivateNow: boolean;
  deactivatableFrom: string | null;
  canRequestExtension: boolean;
};

export type ExpiredRow = {
  id: string;
  kind: "eligibility" | "assignment";
  roleName: string;
  scopeName: string;
  assignmentType: "Assigned" | "Activated" | null;
  status: string;
  start: string;
  end: string;
  canRequestRenewal: boolean;
};

export type MyRolesTab = "eligible" | "active" | "expired";
