/** What the Assignments blade shows for one row (serializable: dates as ISO strings). */
export type AssignmentTab = "eligible" | "active" | "expired";

export type AssignmentRowView = {
  /** The schedule id (eligibility or assignment schedule). */
  id: string;
  kind: "eligibility" | "assignment";
  roleId: string;
  roleName: string;
  principalId: string;
  principalType: "User" | "Group" | "ServicePrincipal";
  principalName: string;
  /** UPN for users; app id or "-" for the others. */
  principalDetail: string;
  directoryScopeId: string;
  scopeLabel: string;
  memberType: "Direct" | "Group";
  /** For active rows: Assigned by an admin or Activated from an eligibility. */
  assignmentType: "Assigned" | "Activated" | null;
  startDateTime: string;
  endDateTime: string | null;
  status: string;
  /** Starts later: a scheduled activation or assignment (the State column says Scheduled). */
  scheduled: boolean;
};

export const tabs: { key: AssignmentTab; label: string }[] = [
  { key: "eligible", label: "Eligible assignments" },
  { key: "active", label: "Active assignments" },
  { key: "expired", label: "Expired assignments" },
];

export const parseTab = (v: string | undefined): AssignmentTab => (v === "active" || v === "expired" ? v : "eligible");

export const principalTypeWords = { User: "User", Group: "Group", ServicePrincipal: "Service principal" } as const;
